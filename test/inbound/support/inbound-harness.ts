import { createHash } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';
import { InboundEmailReceivedEvent, Topics } from '@libs/contracts';
import { S3BlobStore } from '@libs/blob-store';
import { infraEnv } from '../../../scripts/infra';
import { AppProcess, eventually } from '../../support/app-process';
import { appEnv, runId } from '../../support/env';
import { TEST_MAILGUN_SIGNING_KEY } from '../../support/mailgun';

export const TEST_INBOUND_PASSWORD = 'e2e-inbound-password';

export function sha256(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex');
}

/** A gateway configured for the inbound suites: known secrets, short dependency timeouts. */
export function startInboundGateway(overrides: Record<string, string> = {}): Promise<AppProcess> {
  return AppProcess.start(
    'gateway',
    appEnv({
      MAILGUN_SIGNING_KEY: TEST_MAILGUN_SIGNING_KEY,
      INBOUND_PASSWORD: TEST_INBOUND_PASSWORD,
      INBOUND_DEPENDENCY_TIMEOUT_MS: '3000',
      // Info level, so the suites can check what the ingress logs (and what it must not).
      LOG_LEVEL: 'info',
      // This suite's gateways must not take the conversation publisher lease from other suites.
      CONVERSATION_EVENTS_PUBLISHER: 'off',
      ...overrides,
    }),
  );
}

export function basicAuth(password = TEST_INBOUND_PASSWORD, user = 'postfix'): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

type ReceivedMessage = InboundEmailReceivedEvent & { key: string; traceHeader: string | undefined };

/** Reads `inbound-email.received` from the beginning; tests pick their emails by id. */
export class InboundEventsReader {
  readonly events: ReceivedMessage[] = [];
  private readonly kafka = new Kafka({ brokers: infraEnv().KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  private readonly consumer = this.kafka.consumer({ groupId: runId('inbound-reader') });

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: Topics.InboundEmailReceived, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value!.toString()) as InboundEmailReceivedEvent;
        this.events.push({ ...event, key: message.key?.toString() ?? '', traceHeader: message.headers?.['x-trace-id']?.toString() });
      },
    });
  }

  of(inboundEmailId: string): ReceivedMessage[] {
    return this.events.filter((event) => event.data.inboundEmailId === inboundEmailId);
  }

  async waitFor(inboundEmailId: string, count = 1, timeoutMs = 30_000): Promise<ReceivedMessage[]> {
    return eventually(async () => (this.of(inboundEmailId).length >= count ? this.of(inboundEmailId) : undefined), timeoutMs, `${count} event(s) for ${inboundEmailId}`);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

export function s3Store(): S3BlobStore {
  const env = infraEnv();
  return new S3BlobStore({
    endpoint: env.S3_ENDPOINT,
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    forcePathStyle: true,
  });
}

export function blobKeyOf(id: string, at = new Date()): string {
  const [yyyy, mm, dd] = at.toISOString().slice(0, 10).split('-');
  return `inbound/${yyyy}/${mm}/${dd}/${id}.eml`;
}

export interface InboundEmailDoc {
  _id: string;
  blobKey: string;
  size: number;
  status: string;
  queuedAt?: Date;
  queuedRecipients: string[];
  envelope: { sender: string | null; recipients: string[] };
}

/** The gateway's own database, to look at the records it wrote (by `_id` only). */
export async function inboundRecords(): Promise<{ find(id: string): Promise<InboundEmailDoc | null>; close(): Promise<void> }> {
  const connection: Connection = await mongoose.createConnection(infraEnv().MONGO_URL, { serverSelectionTimeoutMS: 10_000 }).asPromise();
  return {
    find: async (id) => (await connection.collection<{ _id: string }>('inbound_emails').findOne({ _id: id })) as InboundEmailDoc | null,
    close: () => connection.close(),
  };
}
