export { AccessTokens, type Principal } from './access-tokens'
export { AuthService, type TokenPair, type TokenGrantor } from './auth-service'
export { SCOPES, type Scope, hasScope, hasAllScopes } from './scopes'
export { sha256, randomSecret, randomId } from './secrets'
