import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { CompressionTypes, IHeaders, Kafka, Partitioners, Producer } from 'kafkajs';

export interface OutgoingMessage {
  key: Buffer | string | null;
  value: Buffer | string;
  headers?: IHeaders;
}

/**
 * The one Kafka producer of an app. `publish` resolves only when every in-sync replica has the
 * messages (acks = all), which is what lets the ingress acknowledge an email.
 */
export class EventPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(EventPublisher.name);
  private readonly producer: Producer;
  private connecting?: Promise<void>;

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
    await this.producer.send({
      topic,
      acks: -1,
      timeout: options.timeoutMs ?? 10_000,
      compression: CompressionTypes.None,
      messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
    });
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
