export { createApp, type App } from './api'
export { createServices, bootstrapCredentials, type AppServices } from './services'
export { loadEnv, type Env } from './config'
export { listen, startServer, type RunningServer, type ListenOptions } from './http-server'
