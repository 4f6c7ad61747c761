import { Query } from '@nestjs/cqrs';
import { Rollout } from '../rollout';

/** Every stored rollout, by use case, read from the store (not the cache). */
export class ListRolloutsQuery extends Query<Rollout[]> {
  constructor() {
    super();
  }
}

/** One use case's stored rollout, or null. An invalid name is a DomainError (Invalid). */
export class GetRolloutQuery extends Query<Rollout | null> {
  constructor(readonly useCase: string) {
    super();
  }
}
