import { Module } from '@nestjs/common';
import { RolloutsResolver } from './rollouts.resolver';

/**
 * The Rollout part of the GraphQL schema (`setRollout`, `rollouts`; admin only). Needs the rollout
 * handlers (RolloutModule from @libs/legacy-bridge) and the CQRS buses (CqrsModule.forRoot()) in the app.
 */
@Module({ providers: [RolloutsResolver] })
export class RolloutApiModule {}
