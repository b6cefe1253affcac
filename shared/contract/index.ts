export * from './schemas'
export * from './channels'
export * from './api'
export * from './analysis'
