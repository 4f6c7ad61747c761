import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { InboundEmailOutcome, InboundEmailReceipt, InboundEmailRecord, InboundEmailStatus } from '../../domain/inbound-email';
import { InboundEmailRepository } from '../../domain/inbound-email-repository.port';
import { INBOUND_EMAIL_MODEL, InboundEmailDocument } from './inbound-email.schemas';

@Injectable()
export class MongoInboundEmailRepository implements InboundEmailRepository {
  constructor(@InjectModel(INBOUND_EMAIL_MODEL) private readonly emails: Model<InboundEmailDocument>) {}

  async findById(id: string): Promise<InboundEmailRecord | null> {
    const doc = await this.emails.findById(id).lean<InboundEmailDocument>().exec();
    return doc ? toRecord(doc) : null;
  }

  async recordReceipt(receipt: InboundEmailReceipt): Promise<void> {
    await this.emails
      .updateOne(
        { _id: receipt.id },
        {
          $setOnInsert: {
            blobKey: receipt.blobKey,
            size: receipt.size,
            provider: receipt.provider,
            'envelope.sender': receipt.envelope.sender,
            receivedAt: receipt.receivedAt,
            queuedRecipients: [],
            status: InboundEmailStatus.Received,
            statusReason: null,
            statusChangedAt: null,
          },
          $addToSet: { 'envelope.recipients': { $each: receipt.envelope.recipients } },
        },
        { upsert: true },
      )
      .exec();
  }

  async markQueued(id: string, recipients: readonly string[], at: Date): Promise<void> {
    const queued = { $addToSet: { queuedRecipients: { $each: [...recipients] } }, $min: { queuedAt: at } };
    // Only a received record moves to queued: the relay may have decided already, and then only
    // the queue facts are added (a second write, rare: the relay is rarely that fast).
    const moved = await this.emails
      .updateOne({ _id: id, status: InboundEmailStatus.Received }, { ...queued, $set: { status: InboundEmailStatus.Queued, statusChangedAt: at } })
      .exec();
    if (moved.matchedCount === 0) await this.emails.updateOne({ _id: id }, queued).exec();
  }

  async setOutcome(
    id: string,
    status: InboundEmailOutcome,
    reason: string | null,
    at: Date,
    ifMissing?: InboundEmailReceipt | null,
  ): Promise<InboundEmailRecord | null> {
    const created = ifMissing
      ? {
          $setOnInsert: {
            blobKey: ifMissing.blobKey,
            size: ifMissing.size,
            provider: ifMissing.provider,
            envelope: ifMissing.envelope,
            receivedAt: ifMissing.receivedAt,
            queuedRecipients: ifMissing.envelope.recipients,
            queuedAt: at,
          },
        }
      : {};
    const doc = await this.emails
      .findOneAndUpdate({ _id: id }, { $set: { status, statusReason: reason, statusChangedAt: at }, ...created }, { new: true, upsert: Boolean(ifMissing) })
      .lean<InboundEmailDocument>()
      .exec();
    return doc ? toRecord(doc) : null;
  }
}

function toRecord(doc: InboundEmailDocument): InboundEmailRecord {
  return {
    id: doc._id,
    blobKey: doc.blobKey,
    size: doc.size,
    provider: doc.provider,
    envelope: { sender: doc.envelope?.sender ?? null, recipients: doc.envelope?.recipients ?? [] },
    receivedAt: doc.receivedAt,
    queuedAt: doc.queuedAt ?? null,
    queuedRecipients: doc.queuedRecipients ?? [],
    status: doc.status,
    statusReason: doc.statusReason ?? null,
    statusChangedAt: doc.statusChangedAt ?? null,
  };
}
