import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { CONVERSATION_EVENT_VERSION, ConversationEvent, Topics } from '@libs/contracts';
import { EventPublisher } from '@libs/kafka';
import { MetricsService, traceHeaders } from '@libs/observability';
import { CONVERSATIONS_OPTIONS, ConversationsOptions } from '../../conversations.options';
import { CONVERSATION_STORE, ConversationStore } from '../../domain/conversation-store.port';
import {
  CONVERSATION_EVENT_MODEL,
  CONVERSATION_OUTBOX_MODEL,
  ConversationEventDocument,
  ConversationOutboxDocument,
  LEASE_MODEL,
  LeaseDocument,
} from '../persistence/conversation.schemas';
import { eventId, toRecorded } from '../persistence/mongo-conversation-store';
import { Lease } from './lease';

const BATCH = 500;
/** Conversations of one batch whose read models are checked side by side. */
const READ_MODEL_CHECKS_AT_ONCE = 16;
const LEASE_TTL_MS = 10_000;
const LEASE_RENEW_MS = 3_000;
/** An outbox entry whose event has not appeared by then belongs to a write that never happened. */
const ABANDONED_AFTER_MS = 60_000;

/**
 * Change capture: every committed event of `conversation_events` reaches `conversation.events`,
 * keyed by conversation id, in per-conversation order, at least once.
 *
 * Writers put an outbox entry for a log position before they fill it, so a process that dies
 * after its write and before its publish loses nothing: the next publisher finds the entry, reads
 * the event at that position and publishes it. Positions of one conversation are published in
 * order and never past one that is still being written. One publisher is active at a time (a
 * lease), which keeps that order across processes. It wakes up at once for writes made in its own
 * process and polls for the others'. A change stream would only replace the poll as the wake-up
 * signal; correctness never depends on it, so servers without change streams or transactions
 * work the same.
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
    @InjectModel(CONVERSATION_OUTBOX_MODEL) private readonly outbox: Model<ConversationOutboxDocument>,
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
    const entries = await this.outbox.find({}).limit(BATCH).lean<ConversationOutboxDocument[]>().exec();
    if (entries.length === 0) return 0;
    const ready = await this.readyEvents(entries);
    if (ready.length > 0) {
      // Consumers read the read models when they handle an event: make sure those include it.
      const limit = pLimit(READ_MODEL_CHECKS_AT_ONCE);
      await Promise.all(
        [...maxSeqByConversation(ready)].map(([conversationId, maxSeq]) =>
          limit(async () => {
            const state = await this.store.load(conversationId);
            if (!state || state.version < maxSeq) await this.store.catchUp(conversationId);
          }),
        ),
      );
      await this.publisher.publish(
        Topics.ConversationEvents,
        ready.map((doc) => ({ key: doc.conversationId, value: JSON.stringify(toIntegrationEvent(doc)), headers: recordHeaders(doc) })),
      );
      await this.outbox.deleteMany({ _id: { $in: ready.map((d) => d._id) } }).exec();
      const now = Date.now();
      for (const doc of ready) {
        this.published.inc({ type: doc.type });
        this.lag.observe(Math.max(0, now - new Date(doc.occurredAt).getTime()) / 1000);
      }
    }
    return ready.length;
  }

  /**
   * The events behind the entries, per conversation in position order, stopping at the first
   * position still being written. Entries abandoned by writers that never filled them are removed.
   */
  private async readyEvents(entries: ConversationOutboxDocument[]): Promise<ConversationEventDocument[]> {
    const byConversation = new Map<string, ConversationOutboxDocument[]>();
    for (const entry of entries) byConversation.set(entry.conversationId, [...(byConversation.get(entry.conversationId) ?? []), entry]);
    const ready: ConversationEventDocument[] = [];
    const abandoned: string[] = [];
    // One primary-key read for the whole batch: a backlog (after an outage) is read in as few
    // round trips as at rest.
    const found = await this.events
      .find({ _id: { $in: entries.map((entry) => entry._id) } })
      .lean<ConversationEventDocument[]>()
      .exec();
    const byId = new Map(found.map((doc) => [doc._id, doc]));
    for (const list of byConversation.values()) {
      list.sort((a, b) => a.seq - b.seq);
      for (const entry of list) {
        const doc = byId.get(entry._id);
        if (doc) {
          ready.push(doc);
          continue;
        }
        if (Date.now() - new Date(entry.createdAt).getTime() > ABANDONED_AFTER_MS) abandoned.push(entry._id);
        break;
      }
    }
    if (abandoned.length > 0) await this.outbox.deleteMany({ _id: { $in: abandoned } }).exec();
    return ready;
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

function maxSeqByConversation(docs: ConversationEventDocument[]): Map<string, number> {
  const max = new Map<string, number>();
  for (const doc of docs) max.set(doc.conversationId, Math.max(max.get(doc.conversationId) ?? 0, doc.seq));
  return max;
}

/** The event's type, and the trace it was written in (so the notifier logs its deliveries under it). */
export function recordHeaders(doc: Pick<ConversationEventDocument, 'type' | 'metadata'>): Record<string, string> {
  return { 'event-type': doc.type, ...traceHeaders(doc.metadata?.traceId) };
}

export function toIntegrationEvent(doc: ConversationEventDocument): ConversationEvent {
  return {
    id: eventId(doc.conversationId, doc.seq),
    type: doc.type,
    version: CONVERSATION_EVENT_VERSION,
    occurredAt: new Date(doc.occurredAt).toISOString(),
    conversationId: doc.conversationId,
    seq: doc.seq,
    data: toRecorded(doc).data,
  } as ConversationEvent;
}
