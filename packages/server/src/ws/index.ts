export { StreamHub, WS_PATH, type StreamHubDeps } from './hub'
export { DEFAULT_HUB_OPTIONS, hubOptionsFromEnv, type HubOptions } from './options'
export { AVAILABLE_CHANNELS } from './channels'
export type { HubStats, HubCounters } from './stats'
