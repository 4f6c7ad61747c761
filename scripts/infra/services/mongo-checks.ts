import { MongoClient, MongoServerError } from 'mongodb';

import { withTimeout } from '../proc';

/** Probe and self-test shared by every MongoDB-wire server the scripts can run. */

function client(url: string, timeoutMs: number): MongoClient {
  return new MongoClient(url, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs * 2,
  });
}

export async function probe(env: Record<string, string>): Promise<boolean> {
  const mongo = client(env.MONGO_URL, 1500);
  try {
    await withTimeout(mongo.db('admin').command({ ping: 1 }), 4000, 'mongo ping');
    return true;
  } catch {
    return false;
  } finally {
    await mongo.close(true).catch(() => undefined);
  }
}

/** The operations the persistence layer depends on, against a scratch database. */
export async function verify(env: Record<string, string>): Promise<string[]> {
  const mongo = client(env.MONGO_URL, 5000);
  const db = mongo.db('infra-selftest');
  try {
    await db.command({ ping: 1 });
    const items = db.collection<{ key: string; n?: number; owner?: number | null }>('items');
    await items.createIndex({ key: 1 }, { unique: true });
    await items.insertOne({ key: 'a' });
    try {
      await items.insertOne({ key: 'a' });
      throw new Error('unique index accepted a duplicate');
    } catch (error) {
      if (!(error instanceof MongoServerError) || error.code !== 11000) throw error;
    }
    const upserted = await items.findOneAndUpdate({ key: 'b' }, { $inc: { n: 1 } }, { upsert: true, returnDocument: 'after' });
    if (upserted?.n !== 1) throw new Error(`findOneAndUpdate upsert returned ${JSON.stringify(upserted)}`);
    const checks = ['ping', 'insert', 'unique index rejects a duplicate (E11000)', 'findOneAndUpdate with upsert'];

    // Claims (deliveries, reminders, legacy calls) rely on MongoDB's per-document atomicity.
    await items.insertOne({ key: 'claim', n: 0, owner: null });
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => items.findOneAndUpdate({ key: 'claim', owner: null }, { $set: { owner: i }, $inc: { n: 1 } })),
    );
    const winners = claims.filter((doc) => doc !== null).length;
    const after = await items.findOne({ key: 'claim' });
    checks.push(
      winners === 1 && after?.n === 1
        ? 'concurrent conditional updates of one document: atomic (20 claims, 1 winner)'
        : `concurrent conditional updates of one document NOT atomic (20 claims, ${winners} winners, n=${after?.n})`,
    );

    // FerretDB reports whether the filter became SQL; MongoDB has no such field.
    const explain = await db.command({ explain: { find: 'items', filter: { key: 'a', n: 1 } } }).catch(() => ({}));
    if (typeof (explain as { filterPushdown?: unknown }).filterPushdown === 'boolean') {
      checks.push((explain as { filterPushdown: boolean }).filterPushdown ? 'equality filter pushed down to the backend' : 'equality filter NOT pushed down (full scans)');
    }
    return checks;
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await mongo.close(true).catch(() => undefined);
  }
}
