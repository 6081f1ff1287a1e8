// `import { startTestServer } from 'smc-server/testing'`: the server runs from its TypeScript sources
// through tsx's loader (as the bin does), so the published package needs no build step.
import { register } from 'tsx/esm/api'

register()
const testing = await import('./src/testing/test-server.ts')

export const startTestServer = testing.startTestServer
