export { createTestContext, TEST_EPOCH, TEST_DEMO_KEY, TEST_ADMIN_KEY, type TestContext, type TestContextOptions } from './test-context'
export { assertMatchesContract, contractFetch, findOperation } from './contract'
export { openSocket, type TestSocket, type ServerFrame } from './ws-client'
export { assertServerFrame, assertClientMessage, asyncApiProblems, serverMessageSchemas, contractWebSocket } from './ws-contract'
