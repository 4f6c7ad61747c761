import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, Connection } from 'mongoose';
import { DeliveryKind, DeliveryRecord, DeliveryState, statesBefore } from '../../domain/delivery';
import { Channel } from '../../domain/channel';
import { DeliveryStore, NewDelivery } from '../../domain/stores.port';

interface DeliveryDocument {
  _id: string;
  kind: DeliveryKind;
  source: string;
  conversationId: string;
  participantId: string;
  channel: Channel;
  recipient: string;
  state: DeliveryState;
  attempts: number;
  eventAt: Date;
  createdAt: Date;
  sentAt?: Date | null;
  finalAt?: Date | null;
  providerMessageId?: string | null;
  lastError?: string | null;
  claimedUntil: Date;
  traceId?: string;
  /** Every state change, with where the news came from. */
  history?: { state: DeliveryState; at: Date; source: string; reason?: string }[];
}

const DUPLICATE_KEY = 11000;
const UNCLAIMED = new Date(0);

/**
 * Deliveries in MongoDB (`deliveries`), addressed by their deterministic id only, so every
 * read and conditional write is a primary-key operation.
 */
@Injectable()
export class MongoDeliveryStore implements DeliveryStore, OnModuleInit {
  private readonly deliveries: Collection<DeliveryDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.deliveries = connection.collection<DeliveryDocument>('deliveries');
  }

  async onModuleInit(): Promise<void> {
    // For operators' queries (a conversation's deliveries); the hot paths use _id only.
    await this.deliveries.createIndex({ conversationId: 1, createdAt: 1 }).catch(() => undefined);
  }

  async create(delivery: NewDelivery, claimedUntil: Date, now: Date): Promise<boolean> {
    try {
      await this.deliveries.insertOne({
        _id: delivery.id,
        kind: delivery.kind,
        source: delivery.source,
        conversationId: delivery.conversationId,
        participantId: delivery.participantId,
        channel: delivery.channel,
        recipient: delivery.recipient,
        state: 'pending',
        attempts: 1,
        eventAt: delivery.eventAt,
        createdAt: now,
        claimedUntil,
        ...(delivery.traceId ? { traceId: delivery.traceId } : {}),
        history: [{ state: 'pending', at: now, source: 'notifier' }],
      });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  async claim(id: string, now: Date, claimedUntil: Date): Promise<DeliveryRecord | null> {
    const doc = await this.deliveries.findOneAndUpdate(
      { _id: id, state: 'pending', claimedUntil: { $lte: now } },
      { $set: { claimedUntil }, $inc: { attempts: 1 } },
      { returnDocument: 'after' },
    );
    return doc ? toRecord(doc as DeliveryDocument) : null;
  }

  async get(id: string): Promise<DeliveryRecord | null> {
    const doc = await this.deliveries.findOne({ _id: id });
    return doc ? toRecord(doc as DeliveryDocument) : null;
  }

  async transition(id: string, to: DeliveryState, at: Date, fields: { providerMessageId?: string | null; reason?: string | null; source?: string } = {}): Promise<boolean> {
    const set: Partial<DeliveryDocument> = { state: to, claimedUntil: UNCLAIMED };
    if (to === 'sent') set.sentAt = at;
    if (to !== 'sent') set.finalAt = at;
    if (fields.providerMessageId) set.providerMessageId = fields.providerMessageId;
    if (fields.reason) set.lastError = fields.reason;
    const entry = { state: to, at, source: fields.source ?? 'notifier', ...(fields.reason ? { reason: fields.reason } : {}) };
    const result = await this.deliveries.updateOne({ _id: id, state: { $in: statesBefore(to) } }, { $set: set, $push: { history: entry } });
    return result.modifiedCount === 1;
  }

  async release(id: string, error: string): Promise<void> {
    await this.deliveries.updateOne({ _id: id, state: 'pending' }, { $set: { claimedUntil: UNCLAIMED, lastError: error.slice(0, 500) } });
  }
}

function toRecord(doc: DeliveryDocument): DeliveryRecord {
  return {
    id: doc._id,
    kind: doc.kind,
    source: doc.source,
    conversationId: doc.conversationId,
    participantId: doc.participantId,
    channel: doc.channel,
    recipient: doc.recipient,
    state: doc.state,
    attempts: doc.attempts ?? 0,
    eventAt: doc.eventAt,
    createdAt: doc.createdAt,
    // The local MongoDB-wire server drops nulls on write: absent means null.
    sentAt: doc.sentAt ?? null,
    finalAt: doc.finalAt ?? null,
    providerMessageId: doc.providerMessageId ?? null,
    lastError: doc.lastError ?? null,
    claimedUntil: doc.claimedUntil ?? UNCLAIMED,
    traceId: doc.traceId ?? null,
  };
}
