import { Kafka } from 'kafkajs';
import { ConversationEvent, Topics } from '@libs/contracts';
import { appEnv, runId } from './env';
import { eventually } from './app-process';

/** Reads `conversation.events` from the beginning, keeping the events of the given conversations. */
export class ConversationEventsReader {
  readonly events: (ConversationEvent & { partition: number; offset: string })[] = [];
  private readonly kafka = new Kafka({ brokers: appEnv().KAFKA_BROKERS!.split(','), logLevel: 0 });
  private readonly consumer = this.kafka.consumer({ groupId: runId('events-reader') });

  constructor(private readonly conversationIds: () => Set<string>) {}

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: Topics.ConversationEvents, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message, partition }) => {
        const event = JSON.parse(message.value!.toString()) as ConversationEvent;
        if (this.conversationIds().has(event.conversationId)) this.events.push({ ...event, partition, offset: message.offset });
      },
    });
  }

  async waitFor(count: (events: ConversationEvent[]) => boolean, timeoutMs: number, what: string): Promise<void> {
    await eventually(async () => (count(this.events) ? true : undefined), timeoutMs, what);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
