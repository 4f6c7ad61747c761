import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { MailgunTokenStore } from '../../domain/mailgun-token-store.port';
import { INBOUND_CLOCK, INBOUND_EMAIL_OPTIONS, InboundClock, ResolvedInboundEmailOptions } from '../../inbound-email.options';
import { MAILGUN_TOKEN_MODEL, MailgunTokenDocument } from './inbound-email.schemas';

const DUPLICATE_KEY = 11000;
const TTL_INDEX = 'mailgun_tokens_ttl';

@Injectable()
export class MongoMailgunTokenStore implements MailgunTokenStore, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MongoMailgunTokenStore.name);
  private sweeper?: NodeJS.Timeout;

  constructor(
    @InjectModel(MAILGUN_TOKEN_MODEL) private readonly tokens: Model<MailgunTokenDocument>,
    @Inject(INBOUND_EMAIL_OPTIONS) private readonly options: ResolvedInboundEmailOptions,
    @Inject(INBOUND_CLOCK) private readonly clock: InboundClock,
  ) {}

  async claim(token: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.tokens.create({ _id: token, expiresAt });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  async release(token: string): Promise<void> {
    await this.tokens.deleteOne({ _id: token }).exec();
  }

  async purgeExpired(now: Date): Promise<number> {
    const result = await this.tokens.deleteMany({ expiresAt: { $lt: now } }).exec();
    return result.deletedCount ?? 0;
  }

  /** Only where the Mailgun ingress runs; neither step may hold up or fail the start. */
  onApplicationBootstrap(): void {
    if (!this.options.mailgun || this.options.tokenSweepIntervalMs <= 0) return;
    void this.createTtlIndexIfSupported();
    this.sweeper = setInterval(() => void this.sweep(), this.options.tokenSweepIntervalMs);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  /**
   * MongoDB removes expired tokens by itself with a TTL index; some MongoDB-compatible servers
   * (FerretDB) refuse such indexes or accept and ignore them. The sweep runs either way, so the
   * index is an optimisation and its absence is only reported.
   */
  private async createTtlIndexIfSupported(): Promise<void> {
    try {
      await this.tokens.collection.createIndex({ expiresAt: 1 }, { name: TTL_INDEX, expireAfterSeconds: 0 });
    } catch (error) {
      this.logger.log(`No TTL index on mailgun_tokens (${(error as Error).message}); the periodic sweep removes expired tokens`);
    }
  }

  private async sweep(): Promise<void> {
    try {
      const removed = await this.purgeExpired(this.clock.now());
      if (removed > 0) this.logger.debug(`Removed ${removed} expired Mailgun tokens`);
    } catch (error) {
      this.logger.warn(`Sweeping expired Mailgun tokens failed; retrying in ${this.options.tokenSweepIntervalMs} ms: ${(error as Error).message}`);
    }
  }
}
