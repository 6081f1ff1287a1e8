/** Build the backtest worker's code into one JavaScript module (see bundle.mjs); resolves to its file URL. */
export function bundleWorker(): Promise<string>
