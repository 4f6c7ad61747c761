import { Kafka } from 'kafkajs';
import { Topics } from '@libs/contracts';
import { AppProcess, eventually } from '../support/app-process';
import { appEnv, runId } from '../support/env';
import { TEST_JWT_SECRET, graphql, graphqlOk, tokenFor, wsClient } from '../support/graphql';

const CREATE = `mutation($input: CreateConversationInput!) {
  createConversation(input: $input) { id subject useCase createdAt myAlias participants { id email displayName role } }
}`;
const SEND = `mutation($input: SendMessageInput!) {
  sendMessage(input: $input) { id conversationId body source createdAt author { id email displayName } attachments { id } }
}`;
const MESSAGES = `query($id: ID!, $first: Int, $after: String) {
  conversation(id: $id) { id myAlias messages(first: $first, after: $after) { edges { cursor node { id body } } pageInfo { hasNextPage endCursor } } }
}`;

describe('conversations over GraphQL, against the real servers', () => {
  const run = runId('conv');
  const alice = { sub: `alice-${run}`, email: `alice.${run}@example.com` };
  const bob = { sub: `bob-${run}`, email: `bob.${run}@example.com` };
  const mallory = { sub: `mallory-${run}`, email: `mallory.${run}@example.com` };
  let gateway: AppProcess;
  let aliceToken: string;
  let bobToken: string;
  let malloryToken: string;
  let conversationId: string;

  beforeAll(async () => {
    gateway = await AppProcess.start('gateway', appEnv({ JWT_SECRET: TEST_JWT_SECRET, ALIAS_DOMAIN: 'relay.example.com' }));
    [aliceToken, bobToken, malloryToken] = await Promise.all([tokenFor(alice), tokenFor(bob), tokenFor(mallory)]);
    const data = await graphqlOk(
      gateway.url,
      CREATE,
      { input: { subject: 'Senior engineer, Berlin', useCase: 'recruiting', participants: [{ email: bob.email, displayName: 'Bob Stone', role: 'employer' }] } },
      aliceToken,
    );
    conversationId = data.createConversation.id;
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it('creates a conversation with the caller and the invited participant, each with their own alias', async () => {
    const forAlice = await graphqlOk(gateway.url, MESSAGES, { id: conversationId }, aliceToken);
    const forBob = await graphqlOk(gateway.url, MESSAGES, { id: conversationId }, bobToken);
    expect(forAlice.conversation.myAlias).toMatch(/^alice-[a-z0-9-]*[a-z2-9]{13}@relay\.example\.com$/);
    expect(forBob.conversation.myAlias).toMatch(/^bob-stone-[a-z2-9]{13}@relay\.example\.com$/);
    expect(forAlice.conversation.myAlias).not.toBe(forBob.conversation.myAlias);
  });

  it('sends a message, and a resend with the same clientMessageId returns it without storing another', async () => {
    const input = { conversationId, body: 'Hello Bob', clientMessageId: `hello-${run}` };
    const first = await graphqlOk(gateway.url, SEND, { input }, aliceToken);
    expect(first.sendMessage).toMatchObject({ conversationId, body: 'Hello Bob', source: 'CHAT', author: { email: alice.email }, attachments: [] });
    const again = await graphqlOk(gateway.url, SEND, { input }, aliceToken);
    expect(again.sendMessage.id).toBe(first.sendMessage.id);
    const page = await graphqlOk(gateway.url, MESSAGES, { id: conversationId, first: 100 }, bobToken);
    expect(page.conversation.messages.edges.filter((e: { node: { body: string } }) => e.node.body === 'Hello Bob')).toHaveLength(1);
  });

  it('stores exactly one message for 50 concurrent sends with one clientMessageId', async () => {
    const created = await graphqlOk(gateway.url, CREATE, { input: { subject: 'Concurrency', participants: [] } }, aliceToken);
    const id = created.createConversation.id;
    const input = { conversationId: id, body: 'only once', clientMessageId: 'same-key' };
    const results = await Promise.all(Array.from({ length: 50 }, () => graphql<{ sendMessage: { id: string } }>(gateway.url, SEND, { input }, aliceToken)));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(new Set(results.map((r) => r.data?.sendMessage.id)).size).toBe(1);
    const page = await graphqlOk(gateway.url, MESSAGES, { id, first: 100 }, aliceToken);
    expect(page.conversation.messages.edges).toHaveLength(1);
  });

  it('pages 250 messages back, each once and in order', async () => {
    const created = await graphqlOk(gateway.url, CREATE, { input: { subject: 'Pagination', participants: [{ email: bob.email, displayName: 'Bob' }] } }, aliceToken);
    const id = created.createConversation.id;
    for (let batch = 0; batch < 250; batch += 25) {
      await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          graphqlOk(gateway.url, SEND, { input: { conversationId: id, body: `m${batch + i}`, clientMessageId: `p-${batch + i}` } }, batch % 50 ? aliceToken : bobToken),
        ),
      );
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const data: any = await graphqlOk(gateway.url, MESSAGES, { id, first: 40, after }, bobToken);
      seen.push(...data.conversation.messages.edges.map((e: { node: { body: string } }) => e.node.body));
      if (!data.conversation.messages.pageInfo.hasNextPage) break;
      after = data.conversation.messages.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    // Concurrent sends within a batch may commit in any order; batches are strictly ordered.
    const batchOf = (body: string) => Math.floor(Number(body.slice(1)) / 25);
    expect(seen.map(batchOf)).toEqual([...seen.map(batchOf)].sort((a, b) => a - b));
  });

  it('answers not-found to a non-participant, for reads and writes alike', async () => {
    const read = await graphql(gateway.url, MESSAGES, { id: conversationId }, malloryToken);
    expect(read.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const missing = await graphql(gateway.url, MESSAGES, { id: 'no-such-conversation' }, malloryToken);
    // Exactly the same answer as for a conversation that does not exist: no hint either way.
    expect({ message: missing.errors?.[0].message, code: missing.errors?.[0].extensions?.code }).toEqual({
      message: read.errors?.[0].message,
      code: read.errors?.[0].extensions?.code,
    });
    const write = await graphql(gateway.url, SEND, { input: { conversationId, body: 'let me in', clientMessageId: 'x' } }, malloryToken);
    expect(write.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const mark = await graphql(gateway.url, `mutation($id: ID!) { markConversationRead(conversationId: $id) { id } }`, { id: conversationId }, malloryToken);
    expect(mark.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const list = await graphqlOk(gateway.url, `{ conversations(first: 50) { edges { node { id } } } }`, {}, malloryToken);
    expect(list.conversations.edges).toEqual([]);
  });

  it.each([
    ['missing', async () => undefined],
    ['forged', async () => (await tokenFor(alice)).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))],
    ['signed with another secret', async () => (await import('@libs/auth')).signAccessToken(alice, 'another-secret-0123456789abcdef0123', '1h')],
    ['expired', async () => (await import('@libs/auth')).signAccessToken({ ...alice, exp: Math.floor(Date.now() / 1000) - 60 }, TEST_JWT_SECRET, null)],
  ])('refuses a %s JWT', async (_name, makeToken) => {
    const result = await graphql(gateway.url, MESSAGES, { id: conversationId }, await makeToken());
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.data ?? null).toBeNull();
  });

  it('lists the caller\'s conversations with cursor pagination', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const data: any = await graphqlOk(gateway.url, `query($after: String) { conversations(first: 1, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`, { after }, bobToken);
      seen.push(...data.conversations.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!data.conversations.pageInfo.hasNextPage) break;
      after = data.conversations.pageInfo.endCursor;
    }
    expect(seen).toContain(conversationId);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('pushes messageAdded to a subscribed participant, and refuses outsiders', async () => {
    const client = wsClient(gateway.url, bobToken);
    const received: string[] = [];
    let failure: unknown;
    const dispose = client.subscribe<{ messageAdded: { body: string; author: { email: string } } }>(
      { query: `subscription($id: ID!) { messageAdded(conversationId: $id) { body author { email } } }`, variables: { id: conversationId } },
      { next: (value) => value.data && received.push(`${value.data.messageAdded.author.email}:${value.data.messageAdded.body}`), error: (e) => (failure = e), complete: () => undefined },
    );
    try {
      // The subscription is live once a message sent afterwards arrives.
      await eventually(
        async () => {
          await graphqlOk(gateway.url, SEND, { input: { conversationId, body: 'are you there?', clientMessageId: `ping-${Date.now()}` } }, aliceToken);
          return received.length > 0 ? true : undefined;
        },
        20_000,
        'the first subscription event',
      );
      expect(failure).toBeUndefined();
      expect(received[0]).toBe(`${alice.email}:are you there?`);
    } finally {
      dispose();
      await client.dispose();
    }

    const outsider = wsClient(gateway.url, malloryToken);
    const errors: unknown[] = [];
    await new Promise<void>((resolve) => {
      outsider.subscribe(
        { query: `subscription($id: ID!) { messageAdded(conversationId: $id) { body } }`, variables: { id: conversationId } },
        // A refused subscription arrives as a result carrying errors, then completes.
        { next: (value) => void errors.push(...(value.errors ?? [])), error: (e) => (errors.push(e), resolve()), complete: () => resolve() },
      );
    });
    await outsider.dispose();
    expect(JSON.stringify(errors)).toContain('NOT_FOUND');
  });

  it('publishes every change to conversation.events, keyed by conversation, in order', async () => {
    const created = await graphqlOk(gateway.url, CREATE, { input: { subject: 'Events', participants: [{ email: bob.email, displayName: 'Bob' }] } }, aliceToken);
    const id = created.createConversation.id;
    for (let i = 0; i < 5; i++) await graphqlOk(gateway.url, SEND, { input: { conversationId: id, body: `e${i}`, clientMessageId: `e${i}` } }, aliceToken);
    await graphqlOk(gateway.url, `mutation($id: ID!) { markConversationRead(conversationId: $id) { id } }`, { id }, bobToken);
    await graphqlOk(gateway.url, `mutation($id: ID!, $p: ParticipantInput!) { addParticipant(conversationId: $id, participant: $p) { id } }`, { id, p: { email: `carol.${run}@example.com`, displayName: 'Carol' } }, aliceToken);
    const bobAlias = (await graphqlOk(gateway.url, MESSAGES, { id }, bobToken)).conversation.myAlias;
    await graphqlOk(gateway.url, `mutation($a: String!) { revokeAlias(address: $a) }`, { a: bobAlias }, bobToken);

    const kafka = new Kafka({ brokers: appEnv().KAFKA_BROKERS!.split(','), logLevel: 0 });
    const consumer = kafka.consumer({ groupId: runId('events-reader') });
    const events: { key: string; type: string; seq: number; partition: number }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: Topics.ConversationEvents, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        const event = JSON.parse(message.value!.toString());
        if (event.conversationId === id) events.push({ key: message.key!.toString(), type: event.type, seq: event.seq, partition });
      },
    });
    try {
      await eventually(async () => (events.length >= 9 ? true : undefined), 60_000, 'all 9 events of the conversation');
    } finally {
      await consumer.disconnect();
    }
    expect(events.map((e) => e.type)).toEqual([
      'ConversationCreated',
      'MessageAdded', 'MessageAdded', 'MessageAdded', 'MessageAdded', 'MessageAdded',
      'ConversationRead',
      'ParticipantAdded',
      'AliasRevoked',
    ]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(events.map((e) => e.key))).toEqual(new Set([id]));
    expect(new Set(events.map((e) => e.partition)).size).toBe(1);
    // A revoked alias no longer shows as the participant's reply address.
    expect((await graphqlOk(gateway.url, MESSAGES, { id }, bobToken)).conversation.myAlias).toBeNull();
  });
});
