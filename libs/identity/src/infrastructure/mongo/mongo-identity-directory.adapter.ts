import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { Account, AccountProfile, previousEmailsOf } from '../../domain/account';
import { normalizeEmail } from '../../domain/email-address';
import { IdentityDirectory } from '../../domain/identity-directory.port';
import { IdentityErrors } from '../../domain/identity-error';
import { AccountRecord } from './account.schema';

type StoredAccount = Pick<AccountRecord, '_id' | 'email' | 'displayName' | 'previousEmails'>;

const DUPLICATE_KEY = 11000;

/** The platform's own directory: the `accounts` collection through mongoose. */
export class MongoIdentityDirectory implements IdentityDirectory {
  constructor(private readonly accounts: Model<AccountRecord>) {}

  async findByEmail(email: string): Promise<Account | null> {
    const address = normalizeEmail(email);
    if (!address) return null;
    return this.guard(async () => {
      const current = await this.accounts.findOne({ email: address }).lean<StoredAccount>().exec();
      if (current) return toAccount(current);
      const previous = await this.accounts
        .findOne({ previousEmails: address })
        .sort({ updatedAt: -1, _id: 1 })
        .lean<StoredAccount>()
        .exec();
      return previous ? toAccount(previous) : null;
    });
  }

  async findById(id: string): Promise<Account | null> {
    return this.guard(async () => {
      const found = await this.accounts.findById(id).lean<StoredAccount>().exec();
      return found ? toAccount(found) : null;
    });
  }

  async upsert(profile: AccountProfile): Promise<Account> {
    const email = normalizeEmail(profile.email);
    const previousEmails = profile.previousEmails === undefined ? undefined : previousEmailsOf(email, profile.previousEmails);
    return this.guard(async () => {
      if (previousEmails?.length) {
        // Checked before the write rather than atomically: MongoDB has no cross-document
        // constraint for it, and the race (an address becoming someone's current address while
        // another account claims it as previous) only makes lookups prefer the current owner.
        const owner = await this.accounts.findOne({ email: { $in: previousEmails } }, { email: 1 }).lean<StoredAccount>().exec();
        if (owner) throw IdentityErrors.emailInUse(owner.email);
      }
      const update = {
        $set: { displayName: profile.displayName, ...(previousEmails ? { previousEmails } : {}) },
        $setOnInsert: { _id: randomUUID(), ...(previousEmails ? {} : { previousEmails: [] }) },
      };
      try {
        return await this.write(email, update);
      } catch (error) {
        // Two concurrent upserts of a new address both try to insert; the unique index lets one
        // win and the other, retried, becomes an update of the winner's account.
        if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
        return this.write(email, update);
      }
    });
  }

  private async write(email: string, update: object): Promise<Account> {
    const stored = await this.accounts
      .findOneAndUpdate({ email }, update, { upsert: true, new: true })
      .lean<StoredAccount>()
      .exec();
    if (!stored) throw new Error('MongoDB returned no document for an upsert');
    return toAccount(stored);
  }

  /** Connection trouble becomes IDENTITY_UNAVAILABLE; anything else is a bug and stays as is. */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (isUnavailable(error)) throw IdentityErrors.unavailable(error);
      throw error;
    }
  }
}

function toAccount(stored: StoredAccount): Account {
  return { id: stored._id, email: stored.email, displayName: stored.displayName, previousEmails: [...(stored.previousEmails ?? [])] };
}

const UNAVAILABLE_ERRORS = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (UNAVAILABLE_ERRORS.has(error.name)) return true;
  // mongoose queues operations while disconnected and fails them after a while, or at once
  // when buffering is off and the first connection has not been made.
  return error.name === 'MongooseError' && /buffering timed out|before initial connection/i.test(error.message);
}
