// The HTML report of one run: renderReport(input) → one self-contained HTML file (uPlot and the
// chart code inlined, no network). See render.ts.
export { renderReport } from './render'
export { MAX_BARS, MAX_EQUITY_POINTS, type ReportCandles, type ReportInput } from './data'
