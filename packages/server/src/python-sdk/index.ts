export { contractCheckedApp, streamProxy, type StreamProxy } from './contract-proxy'
