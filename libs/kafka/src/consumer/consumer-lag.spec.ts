import { Logger } from '@nestjs/common';
import { EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { MetricsService } from '@libs/observability';
import { EventPublisher } from '../producer/event-publisher';
import { DurableKafkaConsumer } from './durable-kafka-consumer';

const GROUP = 'lag-test';

/** A Kafka whose admin answers with fixed offsets: committed per partition, and partition ends. */
function fakeKafka(committed: Record<number, string>, ends: { partition: number; low: string; high: string }[]) {
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    fetchOffsets: async ({ topics }: { topics: string[] }) =>
      topics.map((topic) => ({ topic, partitions: Object.entries(committed).map(([partition, offset]) => ({ partition: Number(partition), offset })) })),
    fetchTopicOffsets: async () => ends.map((e) => ({ ...e, offset: e.high })),
  };
  return { admin: () => admin } as unknown as Kafka;
}

function setup(options: { keyConcurrency?: number; kafka?: Kafka } = {}) {
  const metrics = new MetricsService();
  const consumer = new DurableKafkaConsumer(
    options.kafka ?? fakeKafka({}, []),
    {} as EventPublisher,
    { groupId: GROUP, retry: { maxAttempts: 1, initialDelayMs: 1, maxDelayMs: 1 }, keyConcurrency: options.keyConcurrency, lagCheckIntervalMs: 0 },
    metrics,
  );
  const handled: string[] = [];
  consumer.addHandler('t', async (data: { id: string }) => void handled.push(data.id), true);
  const lag = async () =>
    Object.fromEntries(
      (await metrics.registry.getSingleMetric('kafka_consumer_lag')!.get()).values.map((v) => [`${v.labels.group}/${v.labels.topic}/${v.labels.partition}`, v.value]),
    );
  return { consumer, handled, lag };
}

const message = (offset: number, key = `k${offset}`): KafkaMessage =>
  ({ offset: String(offset), key: Buffer.from(key), value: Buffer.from(JSON.stringify({ id: `m${offset}` })), headers: {}, timestamp: '0', attributes: 0 }) as KafkaMessage;

function batchPayload(partition: number, highWatermark: number, messages: KafkaMessage[]) {
  const resolved: string[] = [];
  const payload = {
    batch: { topic: 't', partition, highWatermark: String(highWatermark), messages },
    resolveOffset: (offset: string) => void resolved.push(offset),
    heartbeat: async () => undefined,
    commitOffsetsIfNecessary: async () => undefined,
    isRunning: () => true,
    isStale: () => false,
  } as unknown as EachBatchPayload;
  return { payload, resolved };
}

const handleBatch = (consumer: DurableKafkaConsumer, payload: EachBatchPayload) =>
  (consumer as unknown as { handleBatch(p: EachBatchPayload): Promise<void> }).handleBatch(payload);
const assign = (consumer: DurableKafkaConsumer, assignment: Record<string, number[]>) =>
  (consumer as unknown as { onAssignment(a: Record<string, number[]>): void }).onAssignment(assignment);

beforeAll(() => Logger.overrideLogger(false));

describe('DurableKafkaConsumer: consumer lag', () => {
  it('reports, per partition, the messages after the last one handled in a batch', async () => {
    const { consumer, handled, lag } = setup();
    const { payload, resolved } = batchPayload(0, 10, [message(4), message(5), message(6)]);
    await handleBatch(consumer, payload);
    expect(handled).toEqual(['m4', 'm5', 'm6']);
    expect(resolved).toEqual(['4', '5', '6']);
    expect(await lag()).toEqual({ [`${GROUP}/t/0`]: 3 });
  });

  it('does the same when messages of a batch are handled side by side by key', async () => {
    const { consumer, lag } = setup({ keyConcurrency: 4 });
    await handleBatch(consumer, batchPayload(2, 20, [message(17, 'a'), message(18, 'b'), message(19, 'a')]).payload);
    expect(await lag()).toEqual({ [`${GROUP}/t/2`]: 0 });
  });

  it("reads an assigned partition's lag from Kafka even when no batch comes, and forgets partitions moved to another member", async () => {
    const kafka = fakeKafka({ 0: '7', 1: '-1' }, [
      { partition: 0, low: '0', high: '12' },
      { partition: 1, low: '3', high: '9' },
      { partition: 2, low: '0', high: '100' },
    ]);
    const { consumer, lag } = setup({ kafka });
    assign(consumer, { t: [0, 1] });
    await consumer.checkLag();
    // Partition 1 never committed: everything retained is still to do. Partition 2 is another member's.
    expect(await lag()).toEqual({ [`${GROUP}/t/0`]: 5, [`${GROUP}/t/1`]: 6 });

    // A batch handled further than the last commit: the check does not report more than that.
    await handleBatch(consumer, batchPayload(0, 12, [message(7), message(8), message(9), message(10)]).payload);
    await consumer.checkLag();
    expect((await lag())[`${GROUP}/t/0`]).toBe(1);

    assign(consumer, { t: [1] });
    await consumer.checkLag();
    expect(Object.keys(await lag())).toEqual([`${GROUP}/t/1`]);
  });
});
