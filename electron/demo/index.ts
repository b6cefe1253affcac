export { DemoService, type DemoInfo, type DemoOptions, type DemoStats } from './service'
export { startDemoInSession, DEMO_DEPLOY_TARGET, DEMO_HEALTH_TARGET, type DemoSessionOptions } from './session'
