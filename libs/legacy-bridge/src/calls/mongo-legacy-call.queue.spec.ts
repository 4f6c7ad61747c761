import type { Connection } from 'mongoose';
import { LegacyPostMessage } from '../domain/legacy-system.port';
import { LEGACY_CALL_UNCLAIMED } from './legacy-call';
import { MongoLegacyCallQueue } from './mongo-legacy-call.queue';

/**
 * A stand-in for the `legacy_calls` collection, as far as this queue uses it, that behaves like
 * our MongoDB-wire server on insert: null values and empty arrays are dropped.
 */
function fakeConnection() {
  const docs = new Map<string, Record<string, unknown>>();
  const updates: { filter: Record<string, unknown>; update: Record<string, Record<string, unknown>> }[] = [];
  const dropEmpty = (doc: Record<string, unknown>) => Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)));
  const collection = {
    createIndex: async () => 'ok',
    insertOne: async (doc: Record<string, unknown>) => {
      if (docs.has(doc._id as string)) throw Object.assign(new Error('E11000 duplicate key'), { code: 11000 });
      docs.set(doc._id as string, dropEmpty(doc));
    },
    findOne: async (filter: { _id: string }) => docs.get(filter._id) ?? null,
    updateOne: async (filter: Record<string, unknown>, update: Record<string, Record<string, unknown>>) => {
      updates.push({ filter, update });
      const doc = docs.get(filter._id as string);
      if (!doc || (filter.state && doc.state !== filter.state)) return { modifiedCount: 0 };
      Object.assign(doc, update.$set);
      for (const [k, v] of Object.entries(update.$inc ?? {})) doc[k] = ((doc[k] as number) ?? 0) + (v as number);
      return { modifiedCount: 1 };
    },
    countDocuments: async (filter: { state: string }) => [...docs.values()].filter((d) => d.state === filter.state).length,
  };
  const connection = { collection: (name: string) => (name === 'legacy_calls' ? collection : undefined) } as unknown as Connection;
  return { connection, docs, updates };
}

const payload: LegacyPostMessage = {
  idempotencyKey: 'c-1:1',
  conversationId: 'c-1',
  useCase: null,
  subject: 's',
  message: { id: 'm', body: 'b', createdAt: '2025-01-01T00:00:00.000Z', authorEmail: 'a@example.com', authorDisplayName: 'A', source: 'EMAIL' },
  participants: [],
  suppressNotification: false,
};

describe('MongoLegacyCallQueue', () => {
  it('keys a call by kind and idempotency key; the same call again is a no-op', async () => {
    const { connection, docs } = fakeConnection();
    const queue = new MongoLegacyCallQueue(connection);
    expect(await queue.enqueue({ kind: 'post-message', idempotencyKey: 'c-1:1', payload })).toEqual({ enqueued: true });
    expect(await queue.enqueue({ kind: 'post-message', idempotencyKey: 'c-1:1', payload })).toEqual({ enqueued: false });
    expect([...docs.keys()]).toEqual(['post-message:c-1:1']);
    expect(docs.get('post-message:c-1:1')).toMatchObject({ state: 'pending', attempts: 0, claimedUntil: LEGACY_CALL_UNCLAIMED, kind: 'post-message', idempotencyKey: 'c-1:1' });
  });

  it('gives the payload back exactly, nulls and empty arrays included, and reads absent fields as null', async () => {
    const { connection } = fakeConnection();
    const queue = new MongoLegacyCallQueue(connection);
    await queue.enqueue({ kind: 'post-message', idempotencyKey: 'c-1:1', payload });
    expect(await queue.get('post-message', 'c-1:1')).toMatchObject({ id: 'post-message:c-1:1', payload, lastError: null, result: null, attempts: 0 });
  });

  it('changes only pending calls, counting attempts', async () => {
    const { connection, updates } = fakeConnection();
    const queue = new MongoLegacyCallQueue(connection);
    await queue.enqueue({ kind: 'post-message', idempotencyKey: 'c-1:1', payload });
    const now = new Date();
    await queue.retryLater('post-message:c-1:1', new Date(now.getTime() + 1_000), 'down', now);
    await queue.complete('post-message:c-1:1', { legacyMessageId: 'LM-1', duplicate: false }, now);
    await queue.fail('post-message:c-1:1', 'too late', now);
    expect(updates.every((u) => u.filter.state === 'pending')).toBe(true);
    expect(await queue.get('post-message', 'c-1:1')).toMatchObject({ state: 'done', attempts: 2, lastError: 'down', result: { legacyMessageId: 'LM-1', duplicate: false } });
    expect(await queue.countPending()).toBe(0);
  });
});
