export { backtestCli, BACKTEST_USAGE } from './backtest'
