/**
 * Reads what the system recorded, the way an operator would: the conversation log and the
 * deliveries in MongoDB, the dead-letter topics' offsets in Kafka.
 */
import { Kafka, logLevel } from 'kafkajs';
import { Db, MongoClient } from 'mongodb';
import { Topics, deadLetterTopicOf } from '@libs/contracts';
import type { StoredMessage } from './verify';

export const DEAD_LETTER_TOPICS = [deadLetterTopicOf(Topics.InboundEmailReceived), deadLetterTopicOf(Topics.ConversationEvents)];

export interface StoredEvent extends StoredMessage {
  /** `<conversationId>:<seq>`: the delivery source of its notifications. */
  eventId: string;
}

export class Observer {
  private constructor(
    private readonly mongo: MongoClient,
    private readonly kafka: Kafka,
    private readonly tokenPattern: RegExp,
  ) {}

  static async connect(mongoUrl: string, brokers: string[], tokenPattern: RegExp): Promise<Observer> {
    // Short timeouts: while the database restarts, a progress line says "?" rather than waiting.
    const mongo = await MongoClient.connect(mongoUrl, { serverSelectionTimeoutMS: 3_000, socketTimeoutMS: 20_000 });
    return new Observer(mongo, new Kafka({ brokers, clientId: 'chaos-observer', logLevel: logLevel.NOTHING }), tokenPattern);
  }

  get db(): Db {
    return this.mongo.db();
  }

  async countMessages(conversationIds: readonly string[]): Promise<number> {
    return this.mongo.db().collection('conversation_events').countDocuments({ conversationId: { $in: [...conversationIds] }, type: 'MessageAdded' });
  }

  /** Every MessageAdded event of these conversations that carries a token of this run. */
  async storedMessages(conversationIds: readonly string[], emailOfParticipant: ReadonlyMap<string, string>): Promise<StoredEvent[]> {
    const docs = await this.mongo
      .db()
      .collection<{ _id: string; conversationId: string; occurredAt: Date; data: { body: string; authorParticipantId: string } }>('conversation_events')
      .find({ conversationId: { $in: [...conversationIds] }, type: 'MessageAdded' }, { projection: { conversationId: 1, occurredAt: 1, 'data.body': 1, 'data.authorParticipantId': 1 } })
      .toArray();
    return docs.flatMap((doc) => {
      const token = doc.data.body.match(this.tokenPattern)?.[0];
      if (!token) return [];
      const author = emailOfParticipant.get(doc.data.authorParticipantId) ?? `participant:${doc.data.authorParticipantId}`;
      return [{ token, conversationId: doc.conversationId, author, at: new Date(doc.occurredAt).getTime(), eventId: doc._id }];
    });
  }

  async inboundEmail(id: string): Promise<Record<string, unknown> | null> {
    return this.mongo.db().collection('inbound_emails').findOne({ _id: id as never }, { projection: { raw: 0 } });
  }

  /** Deliveries of the message at `seq` of a conversation (their source is `<conversationId>:<seq>`). */
  async deliveriesOf(conversationId: string, seq: number): Promise<Record<string, unknown>[]> {
    return this.mongo.db().collection('deliveries').find({ source: `${conversationId}:${seq}` }).toArray();
  }

  /**
   * Apps of this project already consuming (a relay or notifier left running by another run):
   * one would take some of this run's emails or notifications out of its faults and checks.
   */
  async appConsumers(): Promise<string[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.listGroups();
      if (groups.length === 0) return [];
      const described = await admin.describeGroups(groups.map((g) => g.groupId));
      return described.groups.flatMap((g) =>
        g.members.filter((m) => m.clientId === 'relay' || m.clientId === 'notifier').map((m) => `${m.clientId} in group "${g.groupId}" (${m.clientHost})`),
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** Messages of `topic` not yet committed by `groupId`. */
  async lag(groupId: string, topic: string): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const at = new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
      // -1: nothing committed yet, the group starts at the earliest offset.
      return ends.reduce((sum, p) => sum + Math.max(0, Number(p.high) - Math.max(at.get(p.partition) ?? -1, Number(p.low))), 0);
    } finally {
      await admin.disconnect();
    }
  }

  /** Sum of the end offsets of each dead-letter topic (0 for one that does not exist yet). */
  async deadLetterOffsets(): Promise<Record<string, number>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const result: Record<string, number> = {};
      for (const topic of DEAD_LETTER_TOPICS) {
        result[topic] = existing.has(topic) ? (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0) : 0;
      }
      return result;
    } finally {
      await admin.disconnect();
    }
  }

  async close(): Promise<void> {
    await this.mongo.close();
  }
}
