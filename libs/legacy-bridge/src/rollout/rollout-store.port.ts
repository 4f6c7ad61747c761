import { Rollout } from './rollout';

/** Where rollouts are kept, one per use case; shared by every app and the operator CLI. */
export interface RolloutStore {
  /** Every stored rollout, by use case. */
  list(): Promise<Rollout[]>;
  /** `useCase` is a normalised name (normalizeUseCase); null when none is stored. */
  get(useCase: string): Promise<Rollout | null>;
  /** Creates or replaces the use case's rollout; returns what is stored. */
  save(rollout: Rollout): Promise<Rollout>;
}

export const ROLLOUT_STORE = Symbol('ROLLOUT_STORE');
