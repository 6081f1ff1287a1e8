/** The paper-trading user id a strategy account trades under: its ledger, risk limits and events are its own. */
export const strategyUserId = (accountId: string): string => `sa:${accountId}`

/** The strategy account id behind a synthetic user id, or undefined for a real user. */
export const strategyAccountIdOf = (userId: string | undefined): string | undefined =>
  userId !== undefined && userId.startsWith('sa:') ? userId.slice(3) : undefined
