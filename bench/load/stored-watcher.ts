import { Kafka, logLevel } from 'kafkajs';
import { ConversationEvent, Topics } from '@libs/contracts';

export interface SeenMessage {
  token: string;
  /** The event's commit time (occurredAt), epoch ms. */
  storedAt: number;
  /** The Kafka record's timestamp: when the change publisher appended it, epoch ms. */
  publishedAt: number;
}

/**
 * Follows `conversation.events` from its end with a consumer group of its own and reports each
 * MessageAdded of the watched conversations whose email Message-ID carries a token: live
 * progress while a run is going, and the publish time of each message. What is stored is
 * decided from MongoDB at the end, not from here.
 */
export class StoredWatcher {
  readonly seen = new Map<string, SeenMessage>();
  private listeners: ((m: SeenMessage) => void)[] = [];
  private readonly kafka: Kafka;
  private readonly consumer;

  constructor(
    brokers: string[],
    private readonly conversations: Set<string>,
    private readonly tokenPattern: RegExp,
    private readonly groupId: string,
  ) {
    this.kafka = new Kafka({ clientId: groupId, brokers, logLevel: logLevel.NOTHING });
    this.consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 50 });
  }

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(Topics.ConversationEvents);
      await admin.setOffsets({ groupId: this.groupId, topic: Topics.ConversationEvents, partitions: ends.map((p) => ({ partition: p.partition, offset: p.offset })) });
    } finally {
      await admin.disconnect();
    }
    let joined = false;
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => (joined = true));
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: Topics.ConversationEvents, fromBeginning: false });
    await this.consumer.run({
      partitionsConsumedConcurrently: 6,
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value!.toString()) as ConversationEvent;
        if (event.type !== 'MessageAdded' || !this.conversations.has(event.conversationId)) return;
        const token = this.tokenPattern.exec(event.data.emailMessageId ?? '')?.[0];
        if (!token || this.seen.has(token)) return;
        const seen = { token, storedAt: Date.parse(event.occurredAt), publishedAt: Number(message.timestamp) };
        this.seen.set(token, seen);
        for (const l of this.listeners) l(seen);
      },
    });
    for (let i = 0; i < 300 && !joined; i++) await new Promise((r) => setTimeout(r, 100));
    if (!joined) throw new Error('the conversation.events watcher did not join its group within 30 s');
  }

  onMessage(listener: (m: SeenMessage) => void): () => void {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
  }
}
