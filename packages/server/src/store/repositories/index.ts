// Repositories: the only code that knows SQL. Domain services depend on the interfaces, which carry
// no better-sqlite3 or drizzle types, so another store (Postgres) can implement them later.
export {}
