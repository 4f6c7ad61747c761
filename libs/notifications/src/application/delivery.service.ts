import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { TokenBucket } from 'limiter';
import { currentTraceId, MetricsService } from '@libs/observability';
import { Channel } from '../domain/channel';
import { DeliveryKind, DeliveryState } from '../domain/delivery';
import { DeliveryErrorCode, PermanentDeliveryError, TransientDeliveryError } from '../domain/delivery.errors';
import { DELIVERY_STORE, DeliveryStore } from '../domain/stores.port';
import { NOTIFICATIONS_OPTIONS, NotificationsOptions } from '../notifications.options';

export interface DeliveryJob {
  id: string;
  kind: DeliveryKind;
  source: string;
  conversationId: string;
  participantId: string;
  channel: Channel;
  address: string;
  eventAt: Date;
  /** Sends it; resolves once the channel accepted it. */
  send: () => Promise<{ providerMessageId?: string | null }>;
  /** Where a successful send leaves it: `sent` (a provider reports the rest) or `delivered` (in-app). */
  acceptedState: Extract<DeliveryState, 'sent' | 'delivered'>;
}

export type DeliveryResult = { id: string; outcome: 'sent' | 'failed' | 'already-done'; state: DeliveryState };

/**
 * Sends one delivery at most once per (what, who, channel), whatever the redeliveries and the
 * number of notifier instances:
 * 1. the record is written before sending, claimed by this sender for a lease;
 * 2. if it exists, it is claimed only if still pending and its lease ran out (a crashed sender);
 *    a live holder is waited for; a delivery past pending is never sent again;
 * 3. the channel's token bucket is waited on (slower, never dropped);
 * 4. sent → `sent`/`delivered`; refused for good → `failed`; transient → released and rethrown,
 *    so the caller's retry (with backoff, then the dead-letter topic) tries again.
 *
 * The one window left is a crash between the provider's acceptance and step 4's write: the
 * delivery is sent again after the lease, with the same Message-ID / idempotency key.
 */
@Injectable()
export class DeliveryService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryService.name);
  private readonly buckets = new Map<Channel, TokenBucket>();
  private readonly outcomes;
  private readonly latency;
  private readonly waits;
  /** Set on shutdown: no more waiting for other senders' leases (the event is redelivered later). */
  private stopping = false;

  constructor(
    @Inject(DELIVERY_STORE) private readonly store: DeliveryStore,
    @Inject(NOTIFICATIONS_OPTIONS) private readonly options: NotificationsOptions,
    metrics: MetricsService,
  ) {
    for (const [channel, rate] of Object.entries(options.ratePerSecond) as [Channel, number][]) {
      const bucket = new TokenBucket({ bucketSize: Math.max(1, rate), tokensPerInterval: rate, interval: 'second' });
      // Full at start, like after any idle second: a burst of one second's worth goes at once.
      bucket.content = bucket.bucketSize;
      this.buckets.set(channel, bucket);
    }
    this.outcomes = metrics.counter('notifier_deliveries_total', 'Deliveries by channel and outcome (sent, failed, retry, already-done)', ['channel', 'kind', 'outcome']);
    this.latency = metrics.histogram(
      'notifier_delivery_latency_seconds',
      'From the message (event time) to the channel accepting its notification',
      ['channel'],
      [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 30],
    );
    this.waits = metrics.histogram('notifier_rate_limit_wait_seconds', 'Time spent waiting for the channel rate limit', ['channel'], [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 10]);
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  async deliver(job: DeliveryJob): Promise<DeliveryResult> {
    const owned = await this.acquire(job);
    if (owned !== true) {
      this.outcomes.inc({ channel: job.channel, kind: job.kind, outcome: 'already-done' });
      this.logger.log({ msg: `Delivery ${job.id} (${job.channel}) already ${owned}: not sent again`, ...logFieldsOf(job), state: owned });
      return { id: job.id, outcome: 'already-done', state: owned };
    }
    await this.throttle(job.channel);
    try {
      const { providerMessageId } = await job.send();
      await this.store.transition(job.id, job.acceptedState, new Date(), { providerMessageId: providerMessageId ?? null });
      this.outcomes.inc({ channel: job.channel, kind: job.kind, outcome: 'sent' });
      const seconds = Math.max(0, Date.now() - job.eventAt.getTime()) / 1000;
      if (job.kind === 'message') this.latency.observe({ channel: job.channel }, seconds);
      this.logger.log({ msg: `Delivery ${job.id} (${job.channel}) ${job.acceptedState}`, ...logFieldsOf(job), state: job.acceptedState, seconds });
      return { id: job.id, outcome: 'sent', state: job.acceptedState };
    } catch (error) {
      if (error instanceof PermanentDeliveryError || (error as { retryable?: boolean })?.retryable === false) {
        const reason = (error as Error).message?.slice(0, 300) ?? 'refused';
        await this.store.transition(job.id, 'failed', new Date(), { reason });
        this.outcomes.inc({ channel: job.channel, kind: job.kind, outcome: 'failed' });
        this.logger.warn({ msg: `Delivery ${job.id} (${job.channel}) failed for good: ${reason}`, ...logFieldsOf(job), state: 'failed' });
        return { id: job.id, outcome: 'failed', state: 'failed' };
      }
      await this.store.release(job.id, (error as Error)?.message ?? String(error));
      this.outcomes.inc({ channel: job.channel, kind: job.kind, outcome: 'retry' });
      throw error instanceof TransientDeliveryError
        ? error
        : new TransientDeliveryError(`Delivery ${job.id} (${job.channel}) failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
    }
  }

  /** True when this sender holds the delivery; otherwise the state it is already in. */
  private async acquire(job: DeliveryJob): Promise<true | DeliveryState> {
    const lease = () => new Date(Date.now() + this.options.leaseMs);
    const created = await this.store.create(
      {
        id: job.id,
        kind: job.kind,
        source: job.source,
        conversationId: job.conversationId,
        participantId: job.participantId,
        channel: job.channel,
        recipient: job.address,
        eventAt: job.eventAt,
        traceId: currentTraceId() ?? null,
      },
      lease(),
      new Date(),
    );
    if (created) return true;
    // Someone wrote it before: a redelivered event, a crashed sender, or another instance.
    const deadline = Date.now() + 2 * this.options.leaseMs;
    for (;;) {
      if (await this.store.claim(job.id, new Date(), lease())) return true;
      const current = await this.store.get(job.id);
      if (!current) throw new TransientDeliveryError(`Delivery ${job.id} vanished while being claimed`);
      if (current.state !== 'pending') return current.state;
      if (Date.now() >= deadline || this.stopping) {
        throw new TransientDeliveryError(`Delivery ${job.id} is held by another sender`, { code: DeliveryErrorCode.Busy });
      }
      // The holder usually finishes in milliseconds: look again soon, not only when its lease ends.
      const untilLeaseEnds = current.claimedUntil.getTime() - Date.now() + 20;
      await new Promise((resolve) => setTimeout(resolve, Math.max(20, Math.min(250, untilLeaseEnds))));
    }
  }

  private async throttle(channel: Channel): Promise<void> {
    const bucket = this.buckets.get(channel);
    if (!bucket) return;
    if (bucket.tryRemoveTokens(1)) return;
    const started = Date.now();
    await bucket.removeTokens(1);
    this.waits.observe({ channel }, (Date.now() - started) / 1000);
  }
}

/** What a delivery's log lines say about it: ids only, never the recipient's address. */
function logFieldsOf(job: DeliveryJob): Record<string, unknown> {
  return { deliveryId: job.id, kind: job.kind, source: job.source, conversationId: job.conversationId, channel: job.channel };
}
