export { createApp } from './app'
export { secured } from './middleware/security'
export type { App, AppEnv } from './types'
export { errorResponse, STATUS_OF, statusOf, toDomainError, validationError } from './errors'
