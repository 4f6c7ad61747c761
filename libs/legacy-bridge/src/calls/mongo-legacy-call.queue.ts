import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, Connection } from 'mongoose';
import { LegacyCallKind, LegacyCallRecord, LegacyCallRequest, LegacyCallResult, LegacyCallState, LEGACY_CALL_UNCLAIMED, legacyCallIdOf } from './legacy-call';
import { LegacyCallQueue } from './legacy-call-queue.port';

interface LegacyCallDocument {
  /** `<kind>:<idempotencyKey>`. */
  _id: string;
  kind: LegacyCallKind;
  idempotencyKey: string;
  /**
   * The port call as JSON text: the MongoDB-wire server we run on (FerretDB) drops null values
   * and empty arrays on insert, and a payload must reach the legacy system exactly as enqueued
   * (`useCase: null`, `role: null`, `participants: []`).
   */
  payloadJson: string;
  state: LegacyCallState;
  attempts: number;
  nextAttemptAt: Date;
  claimedUntil: Date;
  createdAt: Date;
  updatedAt: Date;
  lastError?: string | null;
  result?: LegacyCallResult;
}

const DUPLICATE_KEY = 11000;

/**
 * LegacyCallQueue on the native collection `legacy_calls` (one document per call, `_id` =
 * `<kind>:<idempotencyKey>`). Every change is conditional on `state: 'pending'`, so a done or
 * failed call never goes back. The claim is a conditional findOneAndUpdate taking a lease
 * (`claimedUntil`); the server does not make concurrent conditional updates of one document
 * atomic, so two dispatchers may rarely both execute a call, which the idempotency key the legacy
 * system receives makes harmless.
 */
@Injectable()
export class MongoLegacyCallQueue implements LegacyCallQueue, OnModuleInit {
  private readonly calls: Collection<LegacyCallDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.calls = connection.collection<LegacyCallDocument>('legacy_calls');
  }

  async onModuleInit(): Promise<void> {
    // What the dispatcher asks every poll: pending calls due now.
    await this.calls.createIndex({ state: 1, nextAttemptAt: 1 }).catch(() => undefined);
  }

  async enqueue(call: LegacyCallRequest): Promise<{ enqueued: boolean }> {
    const now = new Date();
    try {
      await this.calls.insertOne({
        _id: legacyCallIdOf(call.kind, call.idempotencyKey),
        kind: call.kind,
        idempotencyKey: call.idempotencyKey,
        payloadJson: JSON.stringify(call.payload),
        state: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        claimedUntil: LEGACY_CALL_UNCLAIMED,
        createdAt: now,
        updatedAt: now,
      });
      return { enqueued: true };
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return { enqueued: false };
      throw error;
    }
  }

  async due(now: Date, limit: number): Promise<LegacyCallRecord[]> {
    const docs = await this.calls
      .find({ state: 'pending', nextAttemptAt: { $lte: now }, claimedUntil: { $lte: now } })
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .toArray();
    return docs.map((doc) => toRecord(doc as LegacyCallDocument));
  }

  async claim(id: string, now: Date, until: Date): Promise<LegacyCallRecord | null> {
    const doc = await this.calls.findOneAndUpdate(
      { _id: id, state: 'pending', nextAttemptAt: { $lte: now }, claimedUntil: { $lte: now } },
      { $set: { claimedUntil: until, updatedAt: now } },
      { returnDocument: 'after' },
    );
    return doc ? toRecord(doc as LegacyCallDocument) : null;
  }

  async complete(id: string, result: LegacyCallResult, now: Date): Promise<void> {
    await this.calls.updateOne(
      { _id: id, state: 'pending' },
      { $set: { state: 'done', claimedUntil: LEGACY_CALL_UNCLAIMED, updatedAt: now, ...(result ? { result } : {}) }, $inc: { attempts: 1 } },
    );
  }

  async retryLater(id: string, nextAttemptAt: Date, error: string, now: Date): Promise<void> {
    await this.calls.updateOne(
      { _id: id, state: 'pending' },
      { $set: { nextAttemptAt, claimedUntil: LEGACY_CALL_UNCLAIMED, lastError: error, updatedAt: now }, $inc: { attempts: 1 } },
    );
  }

  async fail(id: string, error: string, now: Date): Promise<void> {
    await this.calls.updateOne(
      { _id: id, state: 'pending' },
      { $set: { state: 'failed', claimedUntil: LEGACY_CALL_UNCLAIMED, lastError: error, updatedAt: now }, $inc: { attempts: 1 } },
    );
  }

  async get(kind: LegacyCallKind, idempotencyKey: string): Promise<LegacyCallRecord | null> {
    const doc = await this.calls.findOne({ _id: legacyCallIdOf(kind, idempotencyKey) });
    return doc ? toRecord(doc as LegacyCallDocument) : null;
  }

  countPending(): Promise<number> {
    return this.calls.countDocuments({ state: 'pending' });
  }
}

/** Absent fields (dropped nulls) read as null; counters as 0. */
function toRecord(doc: LegacyCallDocument): LegacyCallRecord {
  return {
    id: doc._id,
    kind: doc.kind,
    idempotencyKey: doc.idempotencyKey,
    payload: JSON.parse(doc.payloadJson),
    state: doc.state,
    attempts: doc.attempts ?? 0,
    nextAttemptAt: doc.nextAttemptAt ?? LEGACY_CALL_UNCLAIMED,
    claimedUntil: doc.claimedUntil ?? LEGACY_CALL_UNCLAIMED,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt ?? doc.createdAt,
    lastError: doc.lastError ?? null,
    result: doc.result ?? null,
  } as LegacyCallRecord;
}
