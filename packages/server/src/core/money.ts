/**
 * Money in the ledger is integer quote "atoms": 1e-8 of the quote asset, so sums and differences
 * are exact. These are the only conversions between atoms and quote amounts.
 */
export const ATOM_DECIMALS = 8
export const ATOMS = 100_000_000

/**
 * Atoms to the quote amount as a number (exact decimal up to 8 places).
 *
 * @example
 * fromAtoms(150_000_000) // 1.5
 */
export const fromAtoms = (atoms: number | bigint): number => Number(atoms) / ATOMS

/**
 * A quote amount to atoms, rounded half away from zero (limits, initial balances).
 *
 * @example
 * toAtoms(1.5) // 150_000_000
 */
export const toAtoms = (amount: number): number => Math.round(amount * ATOMS)

/**
 * Round to `decimals` places, half up, for presenting a figure (never for booking one).
 *
 * @example
 * roundHalfUp(0.123456789) // 0.12345679
 */
export const roundHalfUp = (x: number, decimals = ATOM_DECIMALS): number => Math.round(x * 10 ** decimals) / 10 ** decimals
