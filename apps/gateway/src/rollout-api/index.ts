export * from './rollout-api.module';
export * from './rollout.types';
export * from './rollouts.resolver';
