import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Rollout, normalizeUseCase } from '../rollout';
import { ROLLOUT_STORE, RolloutStore } from '../rollout-store.port';
import { GetRolloutQuery, ListRolloutsQuery } from './rollout.queries';

@QueryHandler(ListRolloutsQuery)
export class ListRolloutsHandler implements IQueryHandler<ListRolloutsQuery, Rollout[]> {
  constructor(@Inject(ROLLOUT_STORE) private readonly store: RolloutStore) {}

  async execute(): Promise<Rollout[]> {
    return this.store.list();
  }
}

@QueryHandler(GetRolloutQuery)
export class GetRolloutHandler implements IQueryHandler<GetRolloutQuery, Rollout | null> {
  constructor(@Inject(ROLLOUT_STORE) private readonly store: RolloutStore) {}

  async execute(query: GetRolloutQuery): Promise<Rollout | null> {
    return this.store.get(normalizeUseCase(query.useCase));
  }
}
