import { INestApplication } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { DeadLetterHeaders, ReplayHeaders, deadLetterTopicOf } from '@libs/contracts';
import {
  DurableKafkaConsumer,
  KAFKA_CLIENT,
  KafkaConfig,
  KafkaConsumerController,
  KafkaModule,
  headerString,
  replayDeadLetters,
} from '@libs/kafka';
import { MetricsService, ObservabilityModule } from '@libs/observability';
import { eventually } from '../support/app-process';
import { runId } from '../support/env';

const RUN = runId('consumer');
const EVENTS = `e2e.${RUN}.events`;
const RAW = `e2e.${RUN}.raw`;
const MAX_ATTEMPTS = 3;

interface Probe {
  id: string;
  poison?: boolean;
}

const received: { topic: string; id: string; headers: IHeaders }[] = [];
const attempts = new Map<string, number>();
let healed = false;

@KafkaConsumerController()
class ProbeController {
  @EventPattern(EVENTS)
  handle(@Payload() event: Probe, @Ctx() context: KafkaContext): void {
    attempts.set(event.id, (attempts.get(event.id) ?? 0) + 1);
    if (event.poison && !healed) throw new Error(`poison message ${event.id} cannot be handled`);
    received.push({ topic: EVENTS, id: event.id, headers: context.getMessage().headers ?? {} });
  }

  @EventPattern(RAW)
  handleRaw(@Payload() event: Probe): void {
    received.push({ topic: RAW, id: event.id, headers: {} });
  }
}

function kafkaConfig(): KafkaConfig {
  return {
    KAFKA_BROKERS: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    KAFKA_TOPIC_PARTITIONS: 3,
    KAFKA_REPLICATION_FACTOR: 1,
    KAFKA_CONSUMER_MAX_ATTEMPTS: MAX_ATTEMPTS,
    KAFKA_RETRY_INITIAL_MS: 50,
    KAFKA_RETRY_MAX_MS: 200,
    SERVICE_NAME: 'consumer-e2e',
  };
}

/** Reads everything on `topic` with a throwaway consumer group until `count` messages arrived. */
async function readTopic(kafka: Kafka, topic: string, count: number): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: runId('reader') });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
  try {
    return await eventually(async () => (messages.length >= count ? messages : undefined), 30_000, `${count} message(s) on ${topic}`);
  } finally {
    await consumer.disconnect();
  }
}

describe('DurableKafkaConsumer against a real broker', () => {
  let app: INestApplication;
  let kafka: Kafka;
  let producer: Producer;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ObservabilityModule.forRoot({ service: 'consumer-e2e', level: 'silent' }),
        KafkaModule.forRootAsync({
          inject: [],
          useFactory: kafkaConfig,
          topics: [EVENTS, deadLetterTopicOf(EVENTS), RAW, deadLetterTopicOf(RAW)],
          consumerGroupId: `group-${RUN}`,
        }),
      ],
      controllers: [ProbeController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.connectMicroservice({ strategy: app.get(DurableKafkaConsumer) });
    await app.init();
    await app.startAllMicroservices();
    kafka = app.get(KAFKA_CLIENT);
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
  });

  it('delivers every message of a key to its handler, in order', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `ordered-${i}`);
    await producer.send({ topic: EVENTS, acks: -1, messages: ids.map((id) => ({ key: 'ordered', value: JSON.stringify({ id }) })) });
    const seen = await eventually(async () => {
      const ordered = received.filter((r) => r.id.startsWith('ordered-')).map((r) => r.id);
      return ordered.length >= ids.length ? ordered : undefined;
    }, 30_000, 'all ordered messages');
    expect(seen).toEqual(ids);
  });

  it('dead-letters a failing message after the configured attempts while later messages keep flowing, then replays it', async () => {
    const [meta] = await producer.send({
      topic: EVENTS,
      acks: -1,
      messages: [
        { key: 'poison-key', value: JSON.stringify({ id: 'before' }) },
        { key: 'poison-key', value: JSON.stringify({ id: 'poison', poison: true }), headers: { 'x-trace-id': 'trace-poison' } },
        { key: 'poison-key', value: JSON.stringify({ id: 'after-1' }) },
        { key: 'poison-key', value: JSON.stringify({ id: 'after-2' }) },
      ],
    });
    const poisonOffset = (BigInt(meta.baseOffset ?? '0') + 1n).toString();

    // Later messages on the same partition are handled after the poison one is set aside.
    await eventually(async () => (received.some((r) => r.id === 'after-2') ? true : undefined), 30_000, 'messages after the poison one');
    const order = received.filter((r) => ['before', 'after-1', 'after-2'].includes(r.id)).map((r) => r.id);
    expect(order).toEqual(['before', 'after-1', 'after-2']);
    expect(attempts.get('poison')).toBe(MAX_ATTEMPTS);
    expect(received.some((r) => r.id === 'poison')).toBe(false);

    const [dead] = await readTopic(kafka, deadLetterTopicOf(EVENTS), 1);
    expect(JSON.parse(dead.value!.toString())).toEqual({ id: 'poison', poison: true });
    expect(dead.key?.toString()).toBe('poison-key');
    expect(headerString(dead.headers, DeadLetterHeaders.Error)).toBe('poison message poison cannot be handled');
    expect(headerString(dead.headers, DeadLetterHeaders.ErrorCode)).toBe('Error');
    expect(headerString(dead.headers, DeadLetterHeaders.Attempts)).toBe(String(MAX_ATTEMPTS));
    expect(headerString(dead.headers, DeadLetterHeaders.OriginalTopic)).toBe(EVENTS);
    expect(headerString(dead.headers, DeadLetterHeaders.OriginalPartition)).toBe(String(meta.partition));
    expect(headerString(dead.headers, DeadLetterHeaders.OriginalOffset)).toBe(poisonOffset);
    expect(headerString(dead.headers, DeadLetterHeaders.ConsumerGroup)).toBe(`group-${RUN}`);
    expect(headerString(dead.headers, 'x-trace-id')).toBe('trace-poison');

    // The dead-letter topic's size is visible to Prometheus.
    const deadLetters = async () => (await app.get(MetricsService).registry.getSingleMetricAsString('kafka_dead_letter_messages'));
    expect(await deadLetters()).toContain(`kafka_dead_letter_messages{topic="${deadLetterTopicOf(EVENTS)}",state="pending",service="consumer-e2e"} 1`);

    // The cause is fixed; the operator replays the dead-letter topic into its source topic.
    healed = true;
    const progress: number[] = [];
    const result = await replayDeadLetters(kafka, { topic: EVENTS, onProgress: (n) => progress.push(n) });
    expect(result).toEqual({ deadLetterTopic: deadLetterTopicOf(EVENTS), targetTopic: EVENTS, replayed: 1 });
    expect(progress).toEqual([1]);
    const replayed = await eventually(async () => received.find((r) => r.id === 'poison'), 30_000, 'the replayed message');
    expect(headerString(replayed.headers, ReplayHeaders.ReplayCount)).toBe('1');
    expect(headerString(replayed.headers, ReplayHeaders.ReplayedFrom)).toBe(`${deadLetterTopicOf(EVENTS)}/${meta.partition}/0`);
    expect(headerString(replayed.headers, 'x-trace-id')).toBe('trace-poison');
    expect(Object.keys(replayed.headers).filter((h) => h.startsWith('x-dlq-'))).toEqual([]);

    expect(await deadLetters()).toContain(`kafka_dead_letter_messages{topic="${deadLetterTopicOf(EVENTS)}",state="pending",service="consumer-e2e"} 0`);
    expect(await deadLetters()).toContain(`kafka_dead_letter_messages{topic="${deadLetterTopicOf(EVENTS)}",state="retained",service="consumer-e2e"} 1`);

    // A finished replay is not repeated.
    expect((await replayDeadLetters(kafka, { topic: deadLetterTopicOf(EVENTS) })).replayed).toBe(0);
    expect(received.filter((r) => r.id === 'poison')).toHaveLength(1);
  });

  it('dead-letters a message that is not JSON at once, without retries, and keeps consuming', async () => {
    await producer.send({
      topic: RAW,
      acks: -1,
      messages: [
        { key: 'raw', value: 'this is not json' },
        { key: 'raw', value: JSON.stringify({ id: 'raw-after' }) },
      ],
    });
    await eventually(async () => (received.some((r) => r.id === 'raw-after') ? true : undefined), 30_000, 'the message after the malformed one');
    const [dead] = await readTopic(kafka, deadLetterTopicOf(RAW), 1);
    expect(dead.value?.toString()).toBe('this is not json');
    expect(headerString(dead.headers, DeadLetterHeaders.ErrorCode)).toBe('MALFORMED_MESSAGE');
    expect(headerString(dead.headers, DeadLetterHeaders.Attempts)).toBe('1');
  });
});
