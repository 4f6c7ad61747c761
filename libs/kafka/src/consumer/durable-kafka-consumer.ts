import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, KafkaContext, Server } from '@nestjs/microservices';
import { Admin, Batch, Consumer, ConsumerRunConfig, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import pLimit from 'p-limit';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '@libs/observability';
import { EventPublisher } from '../producer/event-publisher';
import { toDeadLetter } from './dead-letter';
import { RetryPolicy, NonRetryableError, backoffDelay, errorCodeOf, isRetryable, isStoreOutage } from './retry-policy';

export interface DurableConsumerOptions {
  groupId: string;
  retry: RetryPolicy;
  /** Partitions processed in parallel; messages of one partition are always handled in order. */
  partitionsConsumedConcurrently?: number;
  /** A new consumer group starts at the beginning, so nothing published before it is skipped. */
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /**
   * Messages of one batch handled at once when their keys differ; messages with the same key
   * (one conversation, one email) always one after the other, in offset order. 1: sequential.
   */
  keyConcurrency?: number;
  /**
   * How often the lag of this member's partitions is also read from Kafka (high watermark minus
   * the group's committed offset), so a partition that stopped receiving batches still shows
   * how far behind it is. 0: only what batches report. Default 30 s.
   */
  lagCheckIntervalMs?: number;
}

/** Thrown inside the retry loop when the consumer is stopping: leave the offset uncommitted. */
class ConsumerStopping extends Error {}

interface ConsumerMetrics {
  processed: Counter<'topic' | 'outcome'>;
  attempts: Counter<'topic' | 'result'>;
  duration: Histogram<'topic'>;
  lag: Gauge<'group' | 'topic' | 'partition'>;
}

/**
 * A Nest transport for Kafka that never loses and never blocks:
 * - an offset is resolved (and later committed) only after the handler has finished, or after
 *   the message is durably on the dead-letter topic;
 * - a failing message is retried with exponential backoff and jitter, heartbeating meanwhile,
 *   then moved to `<topic>.dlq` with the error, attempts and origin in headers, so the rest of
 *   its partition keeps flowing;
 * - a message with no handler, or one that is not JSON, is dead-lettered, never committed
 *   silently (Nest's own Kafka transport logs and commits it).
 *
 * Handlers are ordinary `@EventPattern('<topic>')` methods in controllers decorated with
 * `@KafkaConsumerController()`. They must be idempotent: delivery is at least once.
 */
export class DurableKafkaConsumer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(DurableKafkaConsumer.name);
  private consumer?: Consumer;
  private readonly metrics?: ConsumerMetrics;
  /** This member's partitions (from the last rebalance), `topic` → partitions. */
  private assignment = new Map<string, number[]>();
  /** Next offset to handle per `topic:partition`, from batches: the admin check never reports more lag than this. */
  private readonly positions = new Map<string, number>();
  private lagTimer?: NodeJS.Timeout;
  private lagAdmin?: Admin;
  private lagCheck?: Promise<void>;

  constructor(
    private readonly kafka: Kafka,
    private readonly publisher: EventPublisher,
    private readonly options: DurableConsumerOptions,
    metrics?: MetricsService,
  ) {
    super();
    if (metrics) {
      this.metrics = {
        processed: metrics.counter('kafka_messages_processed_total', 'Messages consumed, by final outcome', ['topic', 'outcome']),
        attempts: metrics.counter('kafka_handler_attempts_total', 'Handler attempts, by result', ['topic', 'result']),
        duration: metrics.histogram('kafka_handler_duration_seconds', 'Handler duration of a successful attempt', ['topic']),
        lag: metrics.gauge('kafka_consumer_lag', "Messages on a partition after the consumer group's position, for the partitions this member consumes", ['group', 'topic', 'partition']),
      };
    }
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    if (this.lagTimer) clearInterval(this.lagTimer);
    this.lagTimer = undefined;
    await consumer?.disconnect();
    await this.lagAdmin?.disconnect().catch(() => undefined);
    this.lagAdmin = undefined;
  }

  on<EventKey extends string = string, EventCallback extends Function = Function>(event: EventKey, callback: EventCallback): void {
    if (!this.consumer) throw new Error('The Kafka consumer is not started yet');
    this.consumer.on(event as never, callback as never);
  }

  unwrap<T>(): T {
    if (!this.consumer) throw new Error('The Kafka consumer is not started yet');
    return this.consumer as T;
  }

  get topics(): string[] {
    return [...this.messageHandlers.keys()];
  }

  private async start(): Promise<void> {
    const topics = this.topics;
    if (topics.length === 0) {
      this.logger.warn(`Consumer group "${this.options.groupId}" has no @EventPattern handlers: not consuming`);
      return;
    }
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 10_000,
      // Members that do not rejoin a rebalance in time are dropped rather than stalling the group.
      rebalanceTimeout: this.options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 3_000,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 250,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000, restartOnFailure: async () => true },
    });
    this.consumer = consumer;
    if (this.metrics) consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.onAssignment(payload.memberAssignment));
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
    const run: ConsumerRunConfig = {
      autoCommit: true,
      autoCommitInterval: 500,
      eachBatchAutoResolve: false,
      // One partition at a time by default: with more, kafkajs has been seen to leave a
      // partition unfetched for a minute while others flow (kafkajs issues 683, 1053).
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.handleBatch(payload),
    };
    await consumer.run(run);
    this.startLagChecks();
    this.logger.log(`Consumer group "${this.options.groupId}" consuming ${topics.join(', ')}`);
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    if ((this.options.keyConcurrency ?? 1) > 1 && payload.batch.messages.length > 1) return this.handleBatchByKey(payload);
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    this.recordBatchLag(batch);
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) return;
      try {
        await this.processWithRetries(batch.topic, batch.partition, message, heartbeat, isRunning);
      } catch (error) {
        if (error instanceof ConsumerStopping) return;
        throw error;
      }
      resolveOffset(message.offset);
      this.recordPosition(batch, Number(message.offset) + 1);
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  /**
   * Per-key chains run side by side (at most `keyConcurrency` messages at once). An offset is
   * resolved only when it and every offset before it in the batch are done, so a crash at any
   * moment redelivers whatever was not finished (handlers are idempotent) and skips nothing.
   */
  private async handleBatchByKey({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const limit = pLimit(this.options.keyConcurrency ?? 1);
    this.recordBatchLag(batch);
    const messages = batch.messages;
    const done = new Array<boolean>(messages.length).fill(false);
    const chains = new Map<string, Promise<unknown>>();
    let next = 0;
    let stopping = false;
    const tasks = messages.map((message, index) => {
      const key = message.key ? message.key.toString('base64') : `\u0000${index}`;
      const run = async () => {
        if (stopping || !isRunning() || isStale()) {
          stopping = true;
          return;
        }
        await this.processWithRetries(batch.topic, batch.partition, message, heartbeat, isRunning);
        done[index] = true;
        const before = next;
        while (next < messages.length && done[next]) resolveOffset(messages[next++].offset);
        if (next > before) this.recordPosition(batch, Number(messages[next - 1].offset) + 1);
      };
      const task = (chains.get(key) ?? Promise.resolve()).then(() => limit(run));
      // A failed message stops the rest of its key's chain (and the batch is not resolved past it).
      chains.set(key, task.catch(() => (stopping = true)));
      return task;
    });
    const results = await Promise.allSettled(tasks);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof ConsumerStopping));
    if (failure) throw failure.reason;
    if (next > 0) {
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  /** At the start of a batch: everything from its first message to the partition's end. */
  private recordBatchLag(batch: Batch): void {
    const first = batch.messages[0];
    if (!this.metrics || !first) return;
    this.recordPosition(batch, Number(first.offset));
  }

  private recordPosition(batch: Pick<Batch, 'topic' | 'partition' | 'highWatermark'>, nextOffset: number): void {
    if (!this.metrics) return;
    const key = `${batch.topic}:${batch.partition}`;
    this.positions.set(key, nextOffset);
    this.setLag(batch.topic, batch.partition, Number(batch.highWatermark) - nextOffset);
  }

  private setLag(topic: string, partition: number, lag: number): void {
    this.metrics?.lag.set({ group: this.options.groupId, topic, partition: String(partition) }, Math.max(0, lag));
  }

  /** After a rebalance: partitions that moved to another member are no longer reported here. */
  private onAssignment(assignment: Record<string, number[]>): void {
    const next = new Map(Object.entries(assignment ?? {}).map(([topic, partitions]) => [topic, [...partitions]]));
    for (const [topic, partitions] of this.assignment) {
      for (const partition of partitions) {
        if (next.get(topic)?.includes(partition)) continue;
        this.metrics?.lag.remove({ group: this.options.groupId, topic, partition: String(partition) });
        this.positions.delete(`${topic}:${partition}`);
      }
    }
    this.assignment = next;
    void this.checkLag();
  }

  private startLagChecks(): void {
    const every = this.options.lagCheckIntervalMs ?? 30_000;
    if (!this.metrics || every <= 0) return;
    this.lagTimer = setInterval(() => void this.checkLag(), every);
    this.lagTimer.unref();
  }

  /**
   * Lag of this member's partitions read from Kafka: one offsets request per topic and one for
   * the group. A partition that receives no batches (idle, or stuck behind a slow fetch) is
   * still reported. Failures are ignored: the next check tries again.
   */
  checkLag(): Promise<void> {
    if (!this.metrics || this.assignment.size === 0) return Promise.resolve();
    // One check at a time: a caller during a check waits for that one.
    this.lagCheck ??= this.readLag().finally(() => (this.lagCheck = undefined));
    return this.lagCheck;
  }

  private async readLag(): Promise<void> {
    try {
      this.lagAdmin ??= this.kafka.admin({ retry: { retries: 0 } });
      await this.lagAdmin.connect();
      const topics = [...this.assignment.keys()];
      const [committed, ...ends] = await Promise.all([
        this.lagAdmin.fetchOffsets({ groupId: this.options.groupId, topics }),
        ...topics.map((topic) => this.lagAdmin!.fetchTopicOffsets(topic)),
      ]);
      topics.forEach((topic, index) => {
        const mine = this.assignment.get(topic) ?? [];
        const done = new Map((committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
        for (const end of ends[index]) {
          if (!mine.includes(end.partition)) continue;
          const position = Math.max(Number(end.low), done.get(end.partition) ?? -1, this.positions.get(`${topic}:${end.partition}`) ?? -1);
          this.setLag(topic, end.partition, Number(end.high) - position);
        }
      });
    } catch (error) {
      this.logger.debug({ msg: 'Consumer lag check failed; will retry', err: error });
      const admin = this.lagAdmin;
      this.lagAdmin = undefined;
      await admin?.disconnect().catch(() => undefined);
    }
  }

  private async processWithRetries(
    topic: string,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
    isRunning: () => boolean,
  ): Promise<void> {
    const { maxAttempts } = this.options.retry;
    // Attempts lost to an outage of our own stores are not held against the message.
    let outages = 0;
    for (let call = 1; ; call++) {
      const attempt = call - outages;
      const started = process.hrtime.bigint();
      // kafkajs heartbeats only between messages; keep beating while a slow handler runs so the
      // consumer is not evicted (and the message redelivered) in the middle of its work.
      const beating = setInterval(() => void heartbeat().catch(() => undefined), this.options.heartbeatIntervalMs ?? 3_000);
      try {
        await this.dispatch(topic, partition, message, heartbeat);
        this.metrics?.duration.observe({ topic }, Number(process.hrtime.bigint() - started) / 1e9);
        this.metrics?.attempts.inc({ topic, result: 'ok' });
        this.metrics?.processed.inc({ topic, outcome: attempt === 1 ? 'ok' : 'ok_after_retry' });
        return;
      } catch (error) {
        this.metrics?.attempts.inc({ topic, result: 'error' });
        const retryable = isRetryable(error);
        const where = `${topic}/${partition}@${message.offset}`;
        if (retryable && isStoreOutage(error) && isRunning()) {
          outages++;
          const delay = backoffDelay(this.options.retry, Math.min(outages, 16));
          this.logger.warn({ msg: `A store is unavailable while handling ${where}; waiting ${delay} ms (not counted as an attempt)`, code: errorCodeOf(error), err: error });
          await this.sleepWithHeartbeats(delay, heartbeat, isRunning);
          continue;
        }
        if (!retryable || attempt >= maxAttempts) {
          await this.deadLetter(topic, partition, message, error, attempt);
          this.logger.error({ msg: `Dead-lettered ${where} after ${attempt} attempt(s)`, code: errorCodeOf(error), err: error });
          this.metrics?.processed.inc({ topic, outcome: 'dead_lettered' });
          return;
        }
        const delay = backoffDelay(this.options.retry, attempt);
        this.logger.warn({ msg: `Attempt ${attempt}/${maxAttempts} failed for ${where}; retrying in ${delay} ms`, code: errorCodeOf(error), err: error });
        await this.sleepWithHeartbeats(delay, heartbeat, isRunning);
      } finally {
        clearInterval(beating);
      }
    }
  }

  private async dispatch(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>): Promise<void> {
    const handler = this.getHandlerByPattern(topic);
    if (!handler) throw new NonRetryableError(`No handler for topic "${topic}" in group "${this.options.groupId}"`, 'NO_HANDLER');
    const data = parseJson(message);
    const context = new KafkaContext([message, partition, topic, this.consumer!, heartbeat, undefined as never]);
    const result = await handler(data, context);
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, error: unknown, attempts: number): Promise<void> {
    const dead = toDeadLetter({ topic, partition, message, error, attempts, groupId: this.options.groupId });
    // If this throws, the offset stays unresolved and kafkajs redelivers: nothing is lost.
    await this.publisher.publish(dead.topic, [dead.message]);
  }

  private async sleepWithHeartbeats(ms: number, heartbeat: () => Promise<void>, isRunning: () => boolean): Promise<void> {
    const step = Math.max(100, Math.floor((this.options.heartbeatIntervalMs ?? 3_000) / 2));
    for (let remaining = ms; remaining > 0; remaining -= step) {
      if (!isRunning()) throw new ConsumerStopping();
      await new Promise((resolve) => setTimeout(resolve, Math.min(step, remaining)));
      await heartbeat();
    }
  }
}

function parseJson(message: KafkaMessage): unknown {
  const text = message.value?.toString('utf8') ?? '';
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new NonRetryableError(`Message value is not JSON: ${(error as Error).message}`, 'MALFORMED_MESSAGE');
  }
}
