export { createTestContext, TEST_EPOCH, TEST_DEMO_KEY, TEST_ADMIN_KEY, type TestContext } from './test-context'
export { assertMatchesContract, contractFetch, findOperation } from './contract'
