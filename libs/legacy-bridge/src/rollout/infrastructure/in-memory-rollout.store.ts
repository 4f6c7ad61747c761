import { Rollout } from '../rollout';
import { RolloutStore } from '../rollout-store.port';

/** For unit tests. `failWith` makes every call reject, like a store that is down. */
export class InMemoryRolloutStore implements RolloutStore {
  private readonly rollouts = new Map<string, Rollout>();
  failWith: Error | null = null;

  constructor(initial: readonly Rollout[] = []) {
    for (const rollout of initial) this.rollouts.set(rollout.useCase, { ...rollout });
  }

  async list(): Promise<Rollout[]> {
    this.check();
    return [...this.rollouts.values()].sort(byUseCase).map((r) => ({ ...r }));
  }

  async get(useCase: string): Promise<Rollout | null> {
    this.check();
    const rollout = this.rollouts.get(useCase);
    return rollout ? { ...rollout } : null;
  }

  async save(rollout: Rollout): Promise<Rollout> {
    this.check();
    this.rollouts.set(rollout.useCase, { ...rollout });
    return { ...rollout };
  }

  private check(): void {
    if (this.failWith) throw this.failWith;
  }
}

export const byUseCase = (a: Rollout, b: Rollout): number => (a.useCase < b.useCase ? -1 : a.useCase > b.useCase ? 1 : 0);
