import { DynamicModule, Inject, InjectionToken, Logger, Module, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { ALL_TOPICS, isDeadLetterTopic, sourceTopicOf } from '@libs/contracts';
import { Gauge } from 'prom-client';
import { HealthRegistry, MetricsService } from '@libs/observability';
import { ensureTopics } from './admin/topic-admin';
import { DurableConsumerOptions, DurableKafkaConsumer } from './consumer/durable-kafka-consumer';
import { createKafkaClient, KafkaConfig } from './kafka.config';
import { EventPublisher } from './producer/event-publisher';

export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
const KAFKA_MODULE_CONFIG = Symbol('KAFKA_MODULE_CONFIG');

export interface KafkaModuleOptions {
  inject: InjectionToken[];
  useFactory: (...args: any[]) => KafkaConfig;
  /** Topics to create at start when missing (default: every topic of the contracts lib). */
  topics?: readonly string[];
  /** When set, a DurableKafkaConsumer for this group is provided, to be connected in main.ts. */
  consumerGroupId?: string;
}

interface ResolvedKafkaModuleConfig {
  config: KafkaConfig;
  topics: readonly string[];
  consumerGroupId?: string;
}

class KafkaLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Kafka');
  private admin?: Admin;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(KAFKA_MODULE_CONFIG) private readonly resolved: ResolvedKafkaModuleConfig,
    private readonly health: HealthRegistry,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  async onModuleInit(): Promise<void> {
    this.health.register('kafka', () => this.ping());
    this.registerDeadLetterGauge();
    const { config, topics } = this.resolved;
    try {
      const created = await ensureTopics(
        this.kafka,
        topics.map((topic) => ({ topic, numPartitions: config.KAFKA_TOPIC_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR })),
      );
      if (created.length > 0) this.logger.log(`Created topics: ${created.join(', ')}`);
    } catch (error) {
      throw new Error(
        `Kafka at ${config.KAFKA_BROKERS.join(',')} (KAFKA_BROKERS) could not be reached to create topics: ${(error as Error).message}. ` +
          'Start it (npm run infra -- up) or fix KAFKA_BROKERS.',
        { cause: error },
      );
    }
  }

  /**
   * `.dlq` sizes, read from Kafka when Prometheus scrapes: everything dead-lettered and still
   * retained, and what no replay has moved back yet (`npm run dlq:replay`).
   */
  private registerDeadLetterGauge(): void {
    if (!this.metrics) return;
    const deadLetterTopics = this.resolved.topics.filter(isDeadLetterTopic);
    const admin = () => (this.admin ??= this.kafka.admin({ retry: { retries: 0 } }));
    new Gauge({
      name: 'kafka_dead_letter_messages',
      help: 'Messages on each dead-letter topic: retained, and not yet replayed',
      labelNames: ['topic', 'state'],
      registers: [this.metrics.registry],
      async collect() {
        try {
          await admin().connect();
        } catch {
          // Kafka unreachable: readiness reports it; the gauge keeps its last values.
          return;
        }
        // Topic by topic, at once: one that cannot be read (not created yet) leaves the others.
        await Promise.all(
          deadLetterTopics.map(async (topic) => {
            try {
              const [ends, replayed] = await Promise.all([
                admin().fetchTopicOffsets(topic),
                admin().fetchOffsets({ groupId: `dlq-replay.${sourceTopicOf(topic)}`, topics: [topic] }),
              ]);
              const committed = new Map((replayed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
              let retained = 0;
              let pending = 0;
              for (const end of ends) {
                retained += Number(end.high) - Number(end.low);
                pending += Number(end.high) - Math.max(Number(end.low), committed.get(end.partition) ?? -1);
              }
              this.set({ topic, state: 'retained' }, retained);
              this.set({ topic, state: 'pending' }, pending);
            } catch {
              // This topic keeps its last values until the next scrape.
            }
          }),
        );
      },
    });
  }

  /** A broker answers a metadata request. A failed admin client is replaced on the next check. */
  private async ping(): Promise<void> {
    try {
      this.admin ??= this.kafka.admin({ retry: { retries: 0 } });
      await this.admin.connect();
      await this.admin.describeCluster();
    } catch (error) {
      const admin = this.admin;
      this.admin = undefined;
      await admin?.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }
}

@Module({})
export class KafkaModule {
  static forRootAsync(options: KafkaModuleOptions): DynamicModule {
    const providers = [
      {
        provide: KAFKA_MODULE_CONFIG,
        inject: options.inject,
        useFactory: (...args: unknown[]): ResolvedKafkaModuleConfig => ({
          config: options.useFactory(...args),
          topics: options.topics ?? ALL_TOPICS,
          consumerGroupId: options.consumerGroupId,
        }),
      },
      {
        provide: KAFKA_CLIENT,
        inject: [KAFKA_MODULE_CONFIG],
        useFactory: ({ config }: ResolvedKafkaModuleConfig) => createKafkaClient(config),
      },
      {
        provide: EventPublisher,
        inject: [KAFKA_CLIENT],
        useFactory: (kafka: Kafka) => new EventPublisher(kafka),
      },
      KafkaLifecycle,
    ];
    const exported: InjectionToken[] = [KAFKA_CLIENT, EventPublisher];
    if (options.consumerGroupId) {
      providers.push({
        provide: DurableKafkaConsumer,
        inject: [KAFKA_CLIENT, EventPublisher, KAFKA_MODULE_CONFIG, { token: MetricsService, optional: true }],
        useFactory: (kafka: Kafka, publisher: EventPublisher, { config, consumerGroupId }: ResolvedKafkaModuleConfig, metrics?: MetricsService) =>
          new DurableKafkaConsumer(kafka, publisher, consumerOptions(config, consumerGroupId!), metrics),
      } as never);
      exported.push(DurableKafkaConsumer);
    }
    return { module: KafkaModule, providers, exports: exported };
  }
}

function consumerOptions(config: KafkaConfig, groupId: string): DurableConsumerOptions {
  return {
    groupId,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    keyConcurrency: config.KAFKA_KEY_CONCURRENCY,
    partitionsConsumedConcurrently: config.KAFKA_PARTITION_CONCURRENCY,
    lagCheckIntervalMs: config.KAFKA_LAG_CHECK_MS,
    retry: {
      maxAttempts: config.KAFKA_CONSUMER_MAX_ATTEMPTS,
      initialDelayMs: config.KAFKA_RETRY_INITIAL_MS,
      maxDelayMs: config.KAFKA_RETRY_MAX_MS,
    },
  };
}


