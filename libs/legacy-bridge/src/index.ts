export * from './legacy-bridge.module';
export * from './domain/legacy-system.port';
export * from './domain/legacy-bridge.errors';
export * from './infrastructure/http/http-legacy-system.adapter';
export * from './infrastructure/legacy-system-alias-resolver';
export * from './calls';
export * from './rollout';
export * from './notification-routing';
