import type { Collection } from 'mongodb';
import { Rollout, isRolloutMode } from '../rollout';
import { RolloutStore } from '../rollout-store.port';
import { byUseCase } from './in-memory-rollout.store';

export const ROLLOUTS_COLLECTION = 'rollouts';

export interface RolloutDocument {
  /** The normalised use case. */
  _id: string;
  mode: string;
  percent: number;
  /** Absent: false (the local MongoDB-wire server may drop values). */
  shadow?: boolean;
  updatedAt?: Date;
  /** Absent: null (never stored as null: the local MongoDB-wire server drops nulls on insert). */
  updatedBy?: string | null;
}

/**
 * Rollouts in the native `rollouts` collection, `_id` = use case. No Nest here: the apps use it
 * through MongoRolloutStore (the app's mongoose connection), the operator CLI with a plain
 * `mongodb` client — so both write exactly the same documents.
 */
export class RolloutCollectionStore implements RolloutStore {
  constructor(
    private readonly rollouts: Collection<RolloutDocument>,
    /** Told about documents that cannot be read (edited by hand); they are skipped. */
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  async list(): Promise<Rollout[]> {
    const docs = (await this.rollouts.find({}).toArray()) as RolloutDocument[];
    return docs.map((doc) => this.read(doc)).filter((r): r is Rollout => r !== null).sort(byUseCase);
  }

  async get(useCase: string): Promise<Rollout | null> {
    return this.read((await this.rollouts.findOne({ _id: useCase })) as RolloutDocument | null);
  }

  async save(rollout: Rollout): Promise<Rollout> {
    await this.rollouts.updateOne(
      { _id: rollout.useCase },
      {
        $set: {
          mode: rollout.mode,
          percent: rollout.percent,
          shadow: rollout.shadow,
          updatedAt: rollout.updatedAt,
          ...(rollout.updatedBy !== null ? { updatedBy: rollout.updatedBy } : {}),
        },
        ...(rollout.updatedBy === null ? { $unset: { updatedBy: '' as const } } : {}),
      },
      { upsert: true },
    );
    return { ...rollout };
  }

  private read(doc: RolloutDocument | null): Rollout | null {
    const rollout = rolloutFromDocument(doc);
    if (doc && !rollout) {
      this.warn(`${ROLLOUTS_COLLECTION}: ignoring unreadable document ${JSON.stringify(doc)} (its use case takes the fallback mode until it is set again)`);
    }
    return rollout;
  }
}

/**
 * Reads what is there: absent shadow → false, absent updatedBy → null. A document whose mode or
 * percent is unreadable (edited by hand) gives null rather than a guess.
 */
export function rolloutFromDocument(doc: RolloutDocument | null | undefined): Rollout | null {
  if (!doc || typeof doc._id !== 'string') return null;
  if (!isRolloutMode(doc.mode)) return null;
  if (typeof doc.percent !== 'number' || !Number.isInteger(doc.percent) || doc.percent < 0 || doc.percent > 100) return null;
  return {
    useCase: doc._id,
    mode: doc.mode,
    percent: doc.percent,
    shadow: doc.shadow === true,
    updatedAt: doc.updatedAt instanceof Date ? doc.updatedAt : new Date(doc.updatedAt ?? 0),
    updatedBy: typeof doc.updatedBy === 'string' && doc.updatedBy !== '' ? doc.updatedBy : null,
  };
}
