import { Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { Topics } from '@libs/contracts';
import { appEnv, runId } from './env';
import { ensureProductTopics } from './topics';

/**
 * A notifier consumer group of its own for one suite, positioned at the end of
 * `conversation.events`: the suite's notifiers see the events the suite makes, not the whole
 * history other suites left on the topic. Creates the topics first on a fresh broker.
 */
export async function freshNotifierGroup(prefix = 'notifier'): Promise<string> {
  const groupId = runId(prefix);
  const brokers = appEnv().KAFKA_BROKERS!.split(',');
  await ensureProductTopics(brokers);
  const kafka = new Kafka({ brokers, logLevel: 0 });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(Topics.ConversationEvents);
    await admin.setOffsets({ groupId, topic: Topics.ConversationEvents, partitions: ends.map((p) => ({ partition: p.partition, offset: p.offset })) });
  } finally {
    await admin.disconnect();
  }
  return groupId;
}

export interface DeliveryDoc {
  _id: string;
  kind: 'message' | 'reminder';
  source: string;
  conversationId: string;
  participantId: string;
  channel: 'email' | 'sms' | 'push' | 'in_app';
  recipient: string;
  state: string;
  attempts: number;
  eventAt: Date;
  createdAt: Date;
  sentAt?: Date;
  finalAt?: Date;
  lastError?: string;
  providerMessageId?: string;
  history?: { state: string; at: Date; source: string; reason?: string }[];
}

/** Reads deliveries straight from MongoDB (what an operator would look at). */
export class DeliveryLedger {
  private constructor(private readonly client: MongoClient) {}

  static async connect(): Promise<DeliveryLedger> {
    return new DeliveryLedger(await MongoClient.connect(appEnv().MONGO_URL!));
  }

  async of(conversationId: string): Promise<DeliveryDoc[]> {
    return (await this.client.db().collection('deliveries').find({ conversationId }).toArray()) as unknown as DeliveryDoc[];
  }

  async ofMany(conversationIds: string[]): Promise<DeliveryDoc[]> {
    return (await this.client.db().collection('deliveries').find({ conversationId: { $in: conversationIds } }).toArray()) as unknown as DeliveryDoc[];
  }

  async get(id: string): Promise<DeliveryDoc | null> {
    return (await this.client.db().collection('deliveries').findOne({ _id: id as never })) as unknown as DeliveryDoc | null;
  }

  get db() {
    return this.client.db();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
