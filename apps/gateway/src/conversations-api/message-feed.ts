import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventBus, QueryBus, ofType } from '@nestjs/cqrs';
import { PubSub } from 'graphql-subscriptions';
import { Consumer, Kafka } from 'kafkajs';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Subscription } from 'rxjs';
import { ConversationEvent, Topics } from '@libs/contracts';
import { ConversationEventRecorded, GetConversationQuery, MessageView, RecordedEvent, SYSTEM, toMessageView } from '@libs/conversations';
import { KAFKA_CLIENT } from '@libs/kafka';
import { MessageType } from './conversation.types';

const RECENT_LIMIT = 10_000;

/**
 * Feeds `messageAdded` subscriptions. Messages written through this gateway instance arrive at
 * once from the in-process event bus; messages written anywhere else (the relay, other gateway
 * instances) arrive from `conversation.events`, read by a consumer group of this instance alone
 * so every instance sees every event. Each message is delivered once per subscriber.
 */
@Injectable()
export class MessageFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MessageFeed.name);
  private readonly pubSub = new PubSub();
  private readonly subscribers = new Map<string, number>();
  private readonly recent = new Set<string>();
  private consumer?: Consumer;
  private local?: Subscription;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    private readonly queries: QueryBus,
    private readonly eventBus: EventBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.local = this.eventBus.pipe(ofType(ConversationEventRecorded)).subscribe(({ event }) => {
      if (event.type === 'MessageAdded') void this.deliver(toMessageView(event as RecordedEvent<'MessageAdded'>));
    });
    this.consumer = this.kafka.consumer({ groupId: `gateway-feed.${hostname()}.${process.pid}.${randomUUID().slice(0, 8)}`, maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: Topics.ConversationEvents, fromBeginning: false });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value?.toString() ?? 'null') as ConversationEvent | null;
        if (event?.type === 'MessageAdded') await this.deliver(toMessageView(event));
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.local?.unsubscribe();
    await this.consumer?.disconnect().catch(() => undefined);
  }

  /** An iterator of the conversation's new messages; the caller must be authorised already. */
  subscribe(conversationId: string): AsyncIterableIterator<{ messageAdded: MessageType }> {
    const trigger = triggerOf(conversationId);
    this.subscribers.set(trigger, (this.subscribers.get(trigger) ?? 0) + 1);
    const iterator = this.pubSub.asyncIterableIterator<{ messageAdded: MessageType }>(trigger);
    const release = () => {
      const left = (this.subscribers.get(trigger) ?? 1) - 1;
      if (left <= 0) this.subscribers.delete(trigger);
      else this.subscribers.set(trigger, left);
    };
    const originalReturn = iterator.return?.bind(iterator);
    iterator.return = async () => {
      release();
      return originalReturn ? originalReturn() : { value: undefined, done: true };
    };
    return iterator;
  }

  private async deliver(message: MessageView): Promise<void> {
    const { conversationId } = message;
    const trigger = triggerOf(conversationId);
    if (!this.subscribers.has(trigger)) return;
    const key = `${conversationId}:${message.seq}`;
    if (this.recent.has(key)) return;
    this.remember(key);
    try {
      const state = await this.queries.execute(new GetConversationQuery(conversationId, SYSTEM));
      await this.pubSub.publish(trigger, { messageAdded: MessageType.from(message, state) });
    } catch (error) {
      this.logger.warn({ msg: `Could not deliver message ${key} to subscribers`, err: error });
    }
  }

  private remember(key: string): void {
    this.recent.add(key);
    if (this.recent.size > RECENT_LIMIT) this.recent.delete(this.recent.values().next().value as string);
  }
}

function triggerOf(conversationId: string): string {
  return `messageAdded:${conversationId}`;
}
