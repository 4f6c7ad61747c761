import { Model } from 'mongoose';
import { LeaseDocument } from '../persistence/conversation.schemas';

const DUPLICATE_KEY = 11000;

/**
 * A lease in MongoDB elects one holder among many processes. Taking it succeeds when it is free,
 * expired, or already ours; a competing upsert loses on the unique _id. A holder that stops
 * renewing loses it after `ttlMs`, and another process takes over.
 */
export class Lease {
  constructor(
    private readonly leases: Model<LeaseDocument>,
    readonly name: string,
    readonly owner: string,
    private readonly ttlMs: number,
  ) {}

  async tryAcquire(now = new Date()): Promise<boolean> {
    try {
      const lease = await this.leases
        .findOneAndUpdate(
          { _id: this.name, $or: [{ owner: this.owner }, { expiresAt: { $lt: now } }] },
          { $set: { owner: this.owner, expiresAt: new Date(now.getTime() + this.ttlMs) } },
          { upsert: true, new: true },
        )
        .lean<LeaseDocument>()
        .exec();
      return lease?.owner === this.owner;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  async release(): Promise<void> {
    await this.leases.deleteOne({ _id: this.name, owner: this.owner }).exec();
  }
}
