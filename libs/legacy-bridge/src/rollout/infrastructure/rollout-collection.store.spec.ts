import type { Collection } from 'mongodb';
import { Rollout } from '../rollout';
import { RolloutCollectionStore, RolloutDocument, rolloutFromDocument } from './rollout-collection.store';

/**
 * Just enough of a native collection, behaving like the local MongoDB-wire server: null values
 * and empty arrays are dropped when a document is written.
 */
class FakeCollection {
  readonly docs = new Map<string, Record<string, unknown>>();
  readonly updates: unknown[] = [];

  find() {
    return { toArray: async () => [...this.docs.values()].map((d) => ({ ...d })) };
  }

  async findOne(filter: { _id: string }) {
    const doc = this.docs.get(filter._id);
    return doc ? { ...doc } : null;
  }

  async updateOne(filter: { _id: string }, update: { $set?: Record<string, unknown>; $unset?: Record<string, unknown> }, options: { upsert?: boolean }) {
    this.updates.push(update);
    const existing = this.docs.get(filter._id);
    if (!existing && !options.upsert) return { matchedCount: 0 };
    const doc: Record<string, unknown> = { ...(existing ?? { _id: filter._id }), ...update.$set };
    for (const key of Object.keys(update.$unset ?? {})) delete doc[key];
    for (const [key, value] of Object.entries(doc)) if (value === null || (Array.isArray(value) && value.length === 0)) delete doc[key];
    this.docs.set(filter._id, doc);
    return { matchedCount: existing ? 1 : 0 };
  }
}

const at = new Date('2030-01-01T00:00:00Z');
const rollout = (over: Partial<Rollout> = {}): Rollout => ({ useCase: 'jobs', mode: 'PARALLEL', percent: 10, shadow: false, updatedAt: at, updatedBy: 'admin@example.com', ...over });

describe('RolloutCollectionStore', () => {
  let collection: FakeCollection;
  let warnings: string[];
  let store: RolloutCollectionStore;

  beforeEach(() => {
    collection = new FakeCollection();
    warnings = [];
    store = new RolloutCollectionStore(collection as unknown as Collection<RolloutDocument>, (m) => warnings.push(m));
  });

  it('stores one document per use case (_id) and reads it back', async () => {
    expect(await store.save(rollout())).toEqual(rollout());
    expect(collection.docs.get('jobs')).toEqual({ _id: 'jobs', mode: 'PARALLEL', percent: 10, shadow: false, updatedAt: at, updatedBy: 'admin@example.com' });
    expect(await store.get('jobs')).toEqual(rollout());
    expect(await store.get('other')).toBeNull();
  });

  it('replaces the rollout of a use case; an unknown actor removes updatedBy instead of storing null', async () => {
    await store.save(rollout());
    await store.save(rollout({ mode: 'LEGACY_ONLY', shadow: true, updatedBy: null }));
    expect(collection.updates[1]).toMatchObject({ $unset: { updatedBy: '' } });
    expect(collection.docs.get('jobs')).not.toHaveProperty('updatedBy');
    expect(await store.get('jobs')).toEqual(rollout({ mode: 'LEGACY_ONLY', shadow: true, updatedBy: null }));
  });

  it('lists by use case', async () => {
    await store.save(rollout({ useCase: 'support' }));
    await store.save(rollout({ useCase: 'default' }));
    await store.save(rollout({ useCase: 'jobs' }));
    expect((await store.list()).map((r) => r.useCase)).toEqual(['default', 'jobs', 'support']);
  });

  it('reads absent fields as null / false', () => {
    expect(rolloutFromDocument({ _id: 'jobs', mode: 'NEW_ONLY', percent: 100 })).toEqual({
      useCase: 'jobs',
      mode: 'NEW_ONLY',
      percent: 100,
      shadow: false,
      updatedAt: new Date(0),
      updatedBy: null,
    });
  });

  it('skips (and reports) documents it cannot read rather than guessing', async () => {
    collection.docs.set('bad-mode', { _id: 'bad-mode', mode: 'HALF', percent: 10 });
    collection.docs.set('bad-percent', { _id: 'bad-percent', mode: 'PARALLEL', percent: 150 });
    await store.save(rollout());
    expect((await store.list()).map((r) => r.useCase)).toEqual(['jobs']);
    expect(await store.get('bad-mode')).toBeNull();
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/rollouts: ignoring unreadable document .*bad-mode/);
  });
});
