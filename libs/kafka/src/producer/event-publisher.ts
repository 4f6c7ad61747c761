import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { CompressionTypes, IHeaders, Kafka, Partitioners, Producer } from 'kafkajs';

export interface OutgoingMessage {
  key: Buffer | string | null;
  value: Buffer | string;
  headers?: IHeaders;
}

interface PendingPublish {
  messages: OutgoingMessage[];
  timeoutMs: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Messages of calls that arrived while a request was in flight go out together, up to this many. */
const MAX_COALESCED_MESSAGES = 1_000;

/**
 * The one Kafka producer of an app. `publish` resolves only when every in-sync replica has the
 * messages (acks = all), which is what lets the ingress acknowledge an email.
 *
 * One request is in flight per topic at a time (per-key order), and the calls that arrive
 * meanwhile are sent together as the next request, in arrival order: under load many ingress
 * requests share one acks=all round trip instead of queueing one behind another, and at rest
 * nothing waits (there is no linger). A failed request fails every call it carried; callers
 * retry, and consumers are idempotent.
 */
export class EventPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(EventPublisher.name);
  private readonly producer: Producer;
  private connecting?: Promise<void>;
  private readonly queues = new Map<string, PendingPublish[]>();
  private readonly sending = new Set<string>();

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      allowAutoTopicCreation: false,
      // Murmur2 on the key, as the Java client: a conversation's events land on one partition.
      createPartitioner: Partitioners.DefaultPartitioner,
      // Retries may reorder messages with several requests in flight; one per broker keeps
      // per-key order, which conversation events rely on.
      maxInFlightRequests: 1,
      retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
  }

  async publish(topic: string, messages: OutgoingMessage[], options: { timeoutMs?: number } = {}): Promise<void> {
    if (messages.length === 0) return;
    await this.connect();
    await new Promise<void>((resolve, reject) => {
      const queue = this.queues.get(topic) ?? [];
      queue.push({ messages, timeoutMs: options.timeoutMs ?? 10_000, resolve, reject });
      this.queues.set(topic, queue);
      if (!this.sending.has(topic)) void this.drain(topic);
    });
  }

  private async drain(topic: string): Promise<void> {
    this.sending.add(topic);
    try {
      // The topic's queue stays in the map; calls made while a request is in flight join it.
      const queue = this.queues.get(topic) ?? [];
      while (queue.length > 0) {
        const batch: PendingPublish[] = [];
        let count = 0;
        while (queue.length > 0 && (batch.length === 0 || count + queue[0].messages.length <= MAX_COALESCED_MESSAGES)) {
          const next = queue.shift()!;
          batch.push(next);
          count += next.messages.length;
        }
        try {
          await this.producer.send({
            topic,
            acks: -1,
            timeout: Math.min(...batch.map((call) => call.timeoutMs)),
            compression: CompressionTypes.None,
            messages: batch.flatMap((call) => call.messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers }))),
          });
          for (const call of batch) call.resolve();
        } catch (error) {
          for (const call of batch) call.reject(error);
        }
      }
    } finally {
      this.sending.delete(topic);
    }
  }

  async publishJson(topic: string, key: string | null, payload: unknown, headers?: IHeaders): Promise<void> {
    await this.publish(topic, [{ key, value: JSON.stringify(payload), headers }]);
  }

  async connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.connecting) return;
    await this.producer.disconnect().catch((error: unknown) => this.logger.warn(`Producer disconnect failed: ${String(error)}`));
  }
}
