export * from './auth'
export * from './settings'
export * from './trading'
export * from './stream'
