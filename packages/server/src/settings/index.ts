export { SettingsService, type RuntimeSettings } from './settings-service'
