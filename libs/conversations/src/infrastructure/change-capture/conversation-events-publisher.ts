import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { CONVERSATION_EVENT_VERSION, ConversationEvent, Topics } from '@libs/contracts';
import { EventPublisher } from '@libs/kafka';
import { MetricsService } from '@libs/observability';
import { CONVERSATIONS_OPTIONS, ConversationsOptions } from '../../conversations.options';
import { CONVERSATION_STORE, ConversationStore } from '../../domain/conversation-store.port';
import { CONVERSATION_EVENT_MODEL, ConversationEventDocument, LEASE_MODEL, LeaseDocument } from '../persistence/conversation.schemas';
import { eventId } from '../persistence/mongo-conversation-store';
import { Lease } from './lease';

const BATCH = 500;
const LEASE_TTL_MS = 10_000;
const LEASE_RENEW_MS = 3_000;

/**
 * Change capture: every committed event of `conversation_events` reaches `conversation.events`,
 * keyed by conversation id, in per-conversation order, at least once.
 *
 * The log doubles as the outbox (an event is committed and marked unpublished in one insert), so
 * a process that dies after its write and before its publish loses nothing: the next publisher
 * finds the event still unpublished. One publisher is active at a time (a lease), which keeps
 * per-conversation order across processes. It wakes up at once for writes made in its own
 * process and polls for the others'. A change stream would only replace the poll as the wake-up
 * signal; correctness never depends on it, so servers without change streams work the same.
 */
@Injectable()
export class ConversationEventsPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ConversationEventsPublisher.name);
  private readonly lease: Lease;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private pendingWake = false;
  private leaseCheckedAt = 0;
  private leader = false;
  private readonly published;
  private readonly lag;

  constructor(
    @InjectModel(CONVERSATION_EVENT_MODEL) private readonly events: Model<ConversationEventDocument>,
    @InjectModel(LEASE_MODEL) leases: Model<LeaseDocument>,
    @Inject(CONVERSATION_STORE) private readonly store: ConversationStore,
    @Inject(CONVERSATIONS_OPTIONS) private readonly options: ConversationsOptions,
    private readonly publisher: EventPublisher,
    metrics: MetricsService,
  ) {
    this.lease = new Lease(leases, 'conversation-events-publisher', `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, LEASE_TTL_MS);
    this.published = metrics.counter('conversation_events_published_total', 'Conversation events published to Kafka', ['type']);
    this.lag = metrics.histogram(
      'conversation_event_commit_to_publish_seconds',
      'Time from an event being committed to MongoDB until Kafka acknowledged it',
      [],
      [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5],
    );
  }

  onApplicationBootstrap(): void {
    if (!this.options.publishChanges) return;
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.notify();
    await this.loop;
    if (this.leader) await this.lease.release().catch(() => undefined);
  }

  /** A write in this process committed: publish now rather than at the next poll. */
  notify(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  /** Publishes everything unpublished (for tests and operators); returns how many were sent. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.publishBatch();
      total += sent;
      if (sent < BATCH) return total;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (await this.isLeader()) {
          const sent = await this.publishBatch();
          if (sent >= BATCH) continue;
        }
      } catch (error) {
        this.logger.warn({ msg: 'Publishing conversation events failed; will retry', err: error });
        await this.sleep(1_000);
        continue;
      }
      await this.sleep(this.leader ? this.options.publishPollMs ?? 100 : LEASE_RENEW_MS);
    }
  }

  private async isLeader(): Promise<boolean> {
    if (Date.now() - this.leaseCheckedAt >= LEASE_RENEW_MS) {
      const wasLeader = this.leader;
      this.leader = await this.lease.tryAcquire();
      this.leaseCheckedAt = Date.now();
      if (this.leader !== wasLeader) this.logger.log(this.leader ? 'Now publishing conversation events' : 'Another instance publishes conversation events');
    }
    return this.leader;
  }

  private async publishBatch(): Promise<number> {
    const docs = await this.events
      .find({ published: false })
      .sort({ conversationId: 1, seq: 1 })
      .limit(BATCH)
      .lean<ConversationEventDocument[]>()
      .exec();
    if (docs.length === 0) return 0;
    // Consumers read the read models when they handle an event: make sure those include it.
    for (const conversationId of new Set(docs.map((d) => d.conversationId))) {
      const maxSeq = Math.max(...docs.filter((d) => d.conversationId === conversationId).map((d) => d.seq));
      const state = await this.store.load(conversationId);
      if (!state || state.version < maxSeq) await this.store.catchUp(conversationId);
    }
    await this.publisher.publish(
      Topics.ConversationEvents,
      docs.map((doc) => ({ key: doc.conversationId, value: JSON.stringify(toIntegrationEvent(doc)), headers: { 'event-type': doc.type } })),
    );
    await this.events.updateMany({ _id: { $in: docs.map((d) => d._id) } }, { $set: { published: true } }).exec();
    const now = Date.now();
    for (const doc of docs) {
      this.published.inc({ type: doc.type });
      this.lag.observe(Math.max(0, now - new Date(doc.occurredAt).getTime()) / 1000);
    }
    return docs.length;
  }

  /** Waits `ms`, or less if `notify()` is called meanwhile (or was called since the last wait). */
  private sleep(ms: number): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.pendingWake = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

export function toIntegrationEvent(doc: ConversationEventDocument): ConversationEvent {
  return {
    id: eventId(doc.conversationId, doc.seq),
    type: doc.type,
    version: CONVERSATION_EVENT_VERSION,
    occurredAt: new Date(doc.occurredAt).toISOString(),
    conversationId: doc.conversationId,
    seq: doc.seq,
    data: doc.data,
  } as ConversationEvent;
}
