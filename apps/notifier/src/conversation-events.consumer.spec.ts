import { CommandBus } from '@nestjs/cqrs';
import { KafkaContext } from '@nestjs/microservices';
import { CONVERSATION_EVENT_VERSION, ConversationEvent } from '@libs/contracts';
import { currentTraceId } from '@libs/observability';
import { ConversationEventsConsumer } from './conversation-events.consumer';

const event = { id: 'c1:1', type: 'MessageAdded', version: CONVERSATION_EVENT_VERSION, conversationId: 'c1', seq: 1, occurredAt: '2025-03-01T12:00:00.000Z', data: {} } as unknown as ConversationEvent;
const contextWith = (headers: Record<string, Buffer>) => ({ getMessage: () => ({ headers }) }) as unknown as KafkaContext;

describe('ConversationEventsConsumer', () => {
  const seen: (string | undefined)[] = [];
  const bus = { execute: async () => void seen.push(currentTraceId()) } as unknown as CommandBus;
  const consumer = new ConversationEventsConsumer(bus);

  beforeEach(() => (seen.length = 0));

  it("handles each event inside the trace its record carries, so its deliveries are made (and logged) in it", async () => {
    await consumer.handle(event, contextWith({ 'x-trace-id': Buffer.from('ingress-7'), 'event-type': Buffer.from('MessageAdded') }));
    expect(seen).toEqual(['ingress-7']);
  });

  it('gives an event that carries no trace a fresh one of its own', async () => {
    await consumer.handle(event, contextWith({}));
    await consumer.handle(event, contextWith({}));
    expect(seen[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(seen[1]).toMatch(/^[0-9a-f]{32}$/);
    expect(seen[0]).not.toBe(seen[1]);
  });
});
