export * from '@smc-trading/smc'
