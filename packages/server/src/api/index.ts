export { createApp, MAX_BODY_BYTES, MAX_URL_BYTES } from './app'
export { secured } from './middleware/security'
export type { App, AppEnv } from './types'
export { errorResponse, STATUS_OF, statusOf, toDomainError, validationError } from './errors'
