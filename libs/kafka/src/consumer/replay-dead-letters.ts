import { Kafka } from 'kafkajs';
import { deadLetterTopicOf, isDeadLetterTopic, sourceTopicOf } from '@libs/contracts';
import { EventPublisher } from '../producer/event-publisher';
import { fromDeadLetter } from './dead-letter';

export interface ReplayOptions {
  /** The source topic (`inbound-email.received`) or its dead-letter topic. */
  topic: string;
  /** Stop after this many messages (default: everything present when the replay started). */
  limit?: number;
  onProgress?: (replayed: number, total: number) => void;
}

export interface ReplayResult {
  deadLetterTopic: string;
  targetTopic: string;
  replayed: number;
}

/**
 * Moves what is on `<topic>.dlq` back into `<topic>`, oldest first. Progress is kept in the
 * consumer group `dlq-replay.<topic>`, committed after each message is durably re-published, so
 * an interrupted replay resumes where it stopped and a finished one is never replayed twice.
 * Stops at the end offsets seen when it started, so messages that fail again wait for the next
 * replay instead of looping.
 */
export async function replayDeadLetters(kafka: Kafka, options: ReplayOptions): Promise<ReplayResult> {
  const deadLetterTopic = isDeadLetterTopic(options.topic) ? options.topic : deadLetterTopicOf(options.topic);
  const targetTopic = sourceTopicOf(deadLetterTopic);
  const groupId = `dlq-replay.${targetTopic}`;

  const admin = kafka.admin();
  await admin.connect();
  let pending: Map<number, bigint>;
  try {
    pending = await remainingOffsets(admin, groupId, deadLetterTopic);
  } finally {
    await admin.disconnect();
  }
  const total = Math.min(
    options.limit ?? Number.MAX_SAFE_INTEGER,
    [...pending.values()].reduce((sum, n) => sum + Number(n), 0),
  );
  if (total === 0) return { deadLetterTopic, targetTopic, replayed: 0 };

  const endOffsets = await endOffsetsOf(kafka, deadLetterTopic);
  const publisher = new EventPublisher(kafka);
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
  let replayed = 0;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: deadLetterTopic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const finished = () => replayed >= total || [...endOffsets].every(([p, end]) => (pending.get(p) ?? 0n) === 0n || end === 0n);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (replayed >= total) return;
            const end = endOffsets.get(partition) ?? 0n;
            if (BigInt(message.offset) >= end) return;
            await publisher.publish(targetTopic, [fromDeadLetter(message, deadLetterTopic, partition)]);
            await consumer.commitOffsets([{ topic: deadLetterTopic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
            pending.set(partition, end - (BigInt(message.offset) + 1n));
            replayed++;
            options.onProgress?.(replayed, total);
            if (finished()) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
    await publisher.onApplicationShutdown();
  }
  return { deadLetterTopic, targetTopic, replayed };
}

async function endOffsetsOf(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
}

async function remainingOffsets(admin: ReturnType<Kafka['admin']>, groupId: string, topic: string): Promise<Map<number, bigint>> {
  const [ends, committed] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  const committedByPartition = new Map(
    (committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]),
  );
  const remaining = new Map<number, bigint>();
  for (const end of ends) {
    const low = BigInt(end.low);
    const from = committedByPartition.get(end.partition) ?? -1n;
    const start = from < low ? low : from;
    remaining.set(end.partition, BigInt(end.high) - start);
  }
  return remaining;
}
