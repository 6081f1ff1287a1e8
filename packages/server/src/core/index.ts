export { type Clock, systemClock, ManualClock } from './clock'
export { type Random, createRandom, hashSeed } from './random'
export { ApiError, invalidSymbol } from './api-error'
export { EventBus, type DomainEvent, type EventListener } from './event-bus'
