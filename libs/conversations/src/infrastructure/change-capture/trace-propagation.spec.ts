import { runWithTrace } from '@libs/observability';
import { PendingEvent } from '../../domain/conversation';
import { MongoConversationStore } from '../persistence/mongo-conversation-store';
import { ConversationEventDocument } from '../persistence/conversation.schemas';
import { recordHeaders } from './conversation-events-publisher';

const W3C_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/** Just enough of the four mongoose models for one append of a new conversation. */
function storeWithStubModels() {
  const inserted: Partial<ConversationEventDocument>[] = [];
  const exec = (value: unknown) => ({ exec: async () => value });
  const events = { create: async (doc: Partial<ConversationEventDocument>) => void inserted.push(doc) };
  const outbox = { updateOne: () => exec({}) };
  const conversations = { create: async () => ({}), findById: () => ({ lean: () => exec(null) }) };
  const aliases = { updateOne: () => exec({}) };
  const store = new MongoConversationStore(events as never, outbox as never, conversations as never, aliases as never);
  return { store, inserted };
}

const created = (key: string): PendingEvent<'ConversationCreated'> => ({
  type: 'ConversationCreated',
  idempotencyKey: key,
  occurredAt: '2025-03-01T12:00:00.000Z',
  data: {
    subject: 'Trace',
    useCase: null,
    createdBy: 'acc-1',
    participants: [{ id: 'p1', accountId: 'acc-1', email: 'a@example.com', displayName: 'A', role: null, alias: 'a-k7q2m9x4p3r8a@relay.example.com', joinedAt: '2025-03-01T12:00:00.000Z' }],
  },
});

describe('trace propagation through the conversation log', () => {
  it('stores the trace an event is written in as its metadata, and nothing when there is none', async () => {
    const { store, inserted } = storeWithStubModels();
    await runWithTrace(W3C_ID, () => store.append('c1', null, created('k1')));
    await store.append('c2', null, created('k2'));
    expect(inserted[0]).toMatchObject({ _id: 'c1:0000000001', metadata: { traceId: W3C_ID } });
    expect(inserted[1]).not.toHaveProperty('metadata');
  });

  it('puts the stored trace on the conversation.events record as x-trace-id and a W3C traceparent', () => {
    const headers = recordHeaders({ type: 'MessageAdded', metadata: { traceId: W3C_ID } });
    expect(headers['event-type']).toBe('MessageAdded');
    expect(headers['x-trace-id']).toBe(W3C_ID);
    expect(headers.traceparent).toMatch(new RegExp(`^00-${W3C_ID}-[0-9a-f]{16}-01$`));
    // Ids that are not W3C-shaped (a caller's own request id) still travel as x-trace-id.
    expect(recordHeaders({ type: 'MessageAdded', metadata: { traceId: 'req-42' } })).toEqual({ 'event-type': 'MessageAdded', 'x-trace-id': 'req-42' });
    // Events written before traces were recorded carry only their type.
    expect(recordHeaders({ type: 'ConversationRead' })).toEqual({ 'event-type': 'ConversationRead' });
  });
});
