import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { createTransport } from 'nodemailer';
import { ensureTopics, waitUntilServed } from '../../libs/kafka/src/admin/topic-admin';
import { summarize } from '../stats';
import { BaselineReport } from './report-types';

export interface BaselineOptions {
  env: NodeJS.ProcessEnv;
  /** Where the one email per inbound email is sent. */
  smtpUrl: string;
  durationMs: number;
  /** Emails between S3 put and SMTP acceptance at once (the pipeline's in-flight bound). */
  concurrency: number;
  /** Not counted: the first part of the run, while connections and JIT warm up. */
  warmupMs: number;
  run: string;
  /** The raw email and recipient of the n-th inbound email. */
  email: (n: number) => { raw: Buffer; to: string };
  onProgress?: (completed: number) => void;
}

export const BASELINE_TOPIC = 'bench.baseline';
const BASELINE_COLLECTION = 'bench_baseline';

/**
 * The bare minimum per inbound email on the same servers, with their raw clients in one process
 * and no framework: S3 PutObject of the raw email, Kafka produce with acks=all, consume, one
 * MongoDB insertOne, one email through nodemailer to the SMTP server. Run closed-loop at a fixed
 * number of emails in flight for a fixed time; its throughput is the ceiling the apps are
 * compared with.
 */
export async function runBaseline(options: BaselineOptions): Promise<BaselineReport> {
  const env = options.env;
  const s3 = new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID!, secretAccessKey: env.S3_SECRET_ACCESS_KEY! },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const kafka = new Kafka({ clientId: `bench-baseline-${options.run}`, brokers: env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const groupId = `bench-baseline-${options.run}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 20, allowAutoTopicCreation: false });
  const mongo = await MongoClient.connect(env.MONGO_URL!);
  const collection = mongo.db().collection(BASELINE_COLLECTION);
  const mail = createTransport({ url: options.smtpUrl, pool: true, maxConnections: 5, maxMessages: Infinity } as never);

  const started = new Map<string, number>();
  const latencies: number[] = [];
  const stages = { s3Put: [] as number[], produce: [] as number[], queue: [] as number[], insert: [] as number[], smtp: [] as number[] };
  const producedAt = new Map<string, number>();
  let completed = 0;
  let counted = 0;
  let inFlight = 0;
  let stopping = false;
  let windowStart = 0;
  let windowEnd = Infinity;
  const waiters: (() => void)[] = [];
  const release = () => {
    inFlight--;
    waiters.shift()?.();
  };

  try {
    await ensureTopics(kafka, [{ topic: BASELINE_TOPIC, numPartitions: 6, replicationFactor: 1 }]);
    await admin.connect();
    await waitUntilServed(admin, [BASELINE_TOPIC], 15_000);
    const ends = await admin.fetchTopicOffsets(BASELINE_TOPIC);
    await admin.setOffsets({ groupId, topic: BASELINE_TOPIC, partitions: ends.map((p) => ({ partition: p.partition, offset: p.offset })) });
    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topic: BASELINE_TOPIC, fromBeginning: false });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    await consumer.run({
      partitionsConsumedConcurrently: 6,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        await Promise.all(
          batch.messages.map(async (message) => {
            const event = JSON.parse(message.value!.toString()) as { id: string; key: string; to: string; size: number };
            if (!started.has(event.id)) return;
            const consumedAt = Date.now();
            await collection.insertOne({ _id: event.id as never, blobKey: event.key, to: event.to, size: event.size, receivedAt: new Date() });
            const insertedAt = Date.now();
            await mail.sendMail({
              from: 'notifications@bench.example',
              to: event.to,
              subject: 'New message',
              text: `A new message in your conversation (${event.id}).`,
              envelope: { from: 'bounces@bench.example', to: event.to },
            });
            const at = Date.now();
            if (at >= windowStart && at <= windowEnd) {
              counted++;
              latencies.push(at - started.get(event.id)!);
              stages.queue.push(consumedAt - (producedAt.get(event.id) ?? consumedAt));
              stages.insert.push(insertedAt - consumedAt);
              stages.smtp.push(at - insertedAt);
            }
            producedAt.delete(event.id);
            started.delete(event.id);
            completed++;
            options.onProgress?.(completed);
            release();
          }),
        );
        for (const message of batch.messages) resolveOffset(message.offset);
        await heartbeat();
      },
    });
    for (let i = 0; i < 300 && !joined; i++) await new Promise((r) => setTimeout(r, 100));
    if (!joined) throw new Error('the baseline consumer did not join its group within 30 s');

    const begin = Date.now();
    windowStart = begin + options.warmupMs;
    windowEnd = windowStart + options.durationMs;
    let n = 0;
    const worker = async () => {
      while (!stopping) {
        if (inFlight >= options.concurrency) {
          await new Promise<void>((resolve) => waiters.push(resolve));
          continue;
        }
        inFlight++;
        const seq = n++;
        const id = `${options.run}-${seq}`;
        const { raw, to } = options.email(seq);
        const key = `bench-baseline/${options.run}/${id}.eml`;
        try {
          const t0 = Date.now();
          started.set(id, t0);
          await s3.send(new PutObjectCommand({ Bucket: env.S3_BUCKET, Key: key, Body: raw, ContentType: 'message/rfc822' }));
          const t1 = Date.now();
          await producer.send({ topic: BASELINE_TOPIC, acks: -1, messages: [{ key: id, value: JSON.stringify({ id, key, to, size: raw.length }) }] });
          const t2 = Date.now();
          producedAt.set(id, t2);
          if (t0 >= windowStart && t0 <= windowEnd) {
            stages.s3Put.push(t1 - t0);
            stages.produce.push(t2 - t1);
          }
        } catch (error) {
          started.delete(id);
          release();
          throw error;
        }
      }
    };
    const timer = setTimeout(() => {
      stopping = true;
      for (const w of waiters.splice(0)) w();
    }, options.warmupMs + options.durationMs);
    await Promise.all(Array.from({ length: options.concurrency }, worker)).finally(() => clearTimeout(timer));
    // Let what is in flight finish, so the servers are quiet for what comes next.
    const drainUntil = Date.now() + 15_000;
    while (started.size > 0 && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
    const windowS = (Math.min(windowEnd, Date.now()) - windowStart) / 1000;
    return {
      durationS: Math.round(windowS * 10) / 10,
      concurrency: options.concurrency,
      completed: counted,
      throughput: Math.round((counted / windowS) * 10) / 10,
      latency: summarize(latencies),
      stages: { s3Put: summarize(stages.s3Put), produce: summarize(stages.produce), queue: summarize(stages.queue), insert: summarize(stages.insert), smtp: summarize(stages.smtp) },
    };
  } finally {
    stopping = true;
    for (const w of waiters.splice(0)) w();
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await collection.deleteMany({ _id: { $regex: `^${options.run}-` } as never }).catch(() => undefined);
    await mongo.close().catch(() => undefined);
    mail.close();
    s3.destroy();
  }
}
