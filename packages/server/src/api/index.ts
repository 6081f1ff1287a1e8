export { createApp, secured, type App } from './app'
export type { AppEnv } from './types'
export { errorResponse, STATUS_OF, statusOf, toDomainError, validationError } from './errors'
