export { EnvSchema, loadEnv, ConfigError, type Env } from './env'
