export { createApp, secured, type App } from './app'
export type { AppEnv } from './types'
export { errorResponse, toApiError, validationError } from './errors'
