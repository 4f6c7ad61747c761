import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { IHeaders, Kafka } from 'kafkajs';
import { Topics } from '@libs/contracts';
import { AppProcess, eventually } from '../support/app-process';
import { appEnv, runId } from '../support/env';
import { TEST_JWT_SECRET, graphqlOk, tokenFor } from '../support/graphql';
import { TEST_MAILGUN_SIGNING_KEY, mailgunForm } from '../support/mailgun';
import { DeliveryLedger, freshNotifierGroup } from '../support/notifier';

const DOMAIN = 'trace.example.com';
const CREATE = `mutation($input: CreateConversationInput!) { createConversation(input: $input) { id myAlias } }`;
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }`;

interface EventRecord {
  conversationId: string;
  seq: number;
  type: string;
  data: { messageId?: string; source?: string };
  headers: Record<string, string>;
}

/** Reads `conversation.events` from where it ends now, keeping records with their headers. */
class EventRecords {
  readonly records: EventRecord[] = [];
  private readonly kafka = new Kafka({ brokers: appEnv().KAFKA_BROKERS!.split(','), logLevel: 0 });
  private readonly consumer;

  private constructor(groupId: string) {
    this.consumer = this.kafka.consumer({ groupId });
  }

  static async start(): Promise<EventRecords> {
    const reader = new EventRecords(await freshNotifierGroup('trace-reader'));
    await reader.consumer.connect();
    await reader.consumer.subscribe({ topic: Topics.ConversationEvents });
    await reader.consumer.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value!.toString()) as Omit<EventRecord, 'headers'>;
        reader.records.push({ ...event, headers: textHeaders(message.headers) });
      },
    });
    return reader;
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}

function textHeaders(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([key, value]) => [key, String(Array.isArray(value) ? value[0] : value)]));
}

/** The JSON log lines of an app that carry this trace id. */
function linesOf(app: AppProcess, traceId: string): { msg?: string; traceId?: string; req?: { id?: string } }[] {
  return app.output
    .split('\n')
    .filter((line) => line.includes(traceId))
    .flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return [];
      }
    });
}

/**
 * One trace id from ingress to notification, against the real servers and the built apps: an
 * email posted with `x-trace-id` is logged under it by the gateway, handled under it by the relay,
 * published with it on `conversation.events`, and every notification it causes is logged and
 * stored under it by the notifier. A message sent over GraphQL gets a fresh trace id that travels
 * the same way.
 */
describe('trace id from ingress to notification', () => {
  const run = runId('trace');
  const alice = { sub: `alice-${run}`, email: `alice.${run}@example.com` };
  const bobEmail = `bob.${run}@example.com`;
  let gateway: AppProcess;
  let relay: AppProcess;
  let notifier: AppProcess;
  let ledger: DeliveryLedger;
  let events: EventRecords;
  let token: string;

  beforeAll(async () => {
    ledger = await DeliveryLedger.connect();
    events = await EventRecords.start();
    const shared = { JWT_SECRET: TEST_JWT_SECRET, MAILGUN_SIGNING_KEY: TEST_MAILGUN_SIGNING_KEY, ALIAS_DOMAIN: DOMAIN, LOG_LEVEL: 'info' };
    const group = await freshNotifierGroup();
    [gateway, relay, notifier] = await Promise.all([
      AppProcess.start('gateway', appEnv(shared)),
      AppProcess.start('relay', appEnv(shared)),
      AppProcess.start('notifier', appEnv({ ...shared, NOTIFIER_CONSUMER_GROUP: group, NOTIFIER_REMINDERS: 'off' })),
    ]);
    token = await tokenFor(alice);
  });

  afterAll(async () => {
    await Promise.allSettled([gateway?.stop(), relay?.stop(), notifier?.stop(), events?.stop()]);
    await ledger?.close();
    mkdirSync('reports', { recursive: true });
    writeFileSync(`reports/trace-propagation.${run}.log`, `${gateway?.output}\n----- relay -----\n${relay?.output}\n----- notifier -----\n${notifier?.output}`);
  });

  const conversation = async (subject: string) => {
    const created = await graphqlOk(gateway.url, CREATE, { input: { subject, participants: [{ email: bobEmail, displayName: 'Bob Stone' }] } }, token);
    return { id: created.createConversation.id as string, aliceAlias: created.createConversation.myAlias as string };
  };

  const messageRecord = (conversationId: string, source: string) =>
    eventually(async () => events.records.find((r) => r.conversationId === conversationId && r.type === 'MessageAdded' && r.data.source === source), 30_000, `the ${source} message on conversation.events`);

  const sentTo = (conversationId: string, seq: number, recipient: string) =>
    eventually(
      async () => (await ledger.of(conversationId)).find((d) => d.source === `${conversationId}:${seq}` && d.recipient === recipient && d.state === 'sent') as (Record<string, unknown> & { _id: string }) | undefined,
      30_000,
      `the notification to ${recipient} sent`,
    );

  it('follows an inbound email by its x-trace-id through the gateway, the relay, conversation.events and the notifier', async () => {
    const c = await conversation(`Traced ${run}`);
    const traceId = randomBytes(16).toString('hex');
    const raw = [
      `From: Alice <${alice.email}>`,
      `To: ${c.aliceAlias}`,
      `Subject: Traced ${run}`,
      `Date: ${new Date().toUTCString()}`,
      `Message-ID: <${randomBytes(8).toString('hex')}@mail.example.com>`,
      'Content-Type: text/plain; charset=UTF-8',
      '',
      'Sent by email, followed by trace id.',
    ].join('\r\n');
    const form = mailgunForm(raw, { recipient: c.aliceAlias, sender: alice.email });
    const answer = await fetch(`${gateway.url}/inbound/mailgun/mime`, { method: 'POST', headers: { 'content-type': form.contentType, 'x-trace-id': traceId }, body: form.body });
    expect(answer.status).toBe(202);
    expect(answer.headers.get('x-trace-id')).toBe(traceId);

    // The relay stores it as Alice's message; the change publisher carries the trace on the record.
    const record = await messageRecord(c.id, 'EMAIL');
    expect(record.headers['x-trace-id']).toBe(traceId);
    expect(record.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    // The notifier emails Bob under the same trace, and the delivery keeps it.
    const delivery = await sentTo(c.id, record.seq, bobEmail);
    expect(delivery.traceId).toBe(traceId);

    // grep <traceId> over the three apps' logs: accepted → stored → notification sent.
    await eventually(async () => (linesOf(notifier, traceId).some((l) => l.msg === `Delivery ${delivery._id} (email) sent`) ? true : undefined), 10_000, 'the notifier log line');
    expect(linesOf(gateway, traceId).some((l) => l.msg === 'Inbound email accepted' && l.traceId === traceId)).toBe(true);
    expect(linesOf(relay, traceId).some((l) => l.traceId === traceId && /^Inbound email \S+: stored as 1 message\(s\)$/.test(l.msg ?? ''))).toBe(true);
    expect(linesOf(notifier, traceId).find((l) => l.msg === `Delivery ${delivery._id} (email) sent`)).toMatchObject({ traceId });
  });

  it('gives a message sent over GraphQL a fresh trace id that reaches its notifications', async () => {
    const c = await conversation(`Traced chat ${run}`);
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: SEND, variables: { input: { conversationId: c.id, body: 'Sent over GraphQL.', clientMessageId: randomBytes(6).toString('hex') } } }),
    });
    expect(response.status).toBe(200);
    const traceId = response.headers.get('x-trace-id')!;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    const record = await messageRecord(c.id, 'CHAT');
    expect(record.headers['x-trace-id']).toBe(traceId);
    const delivery = await sentTo(c.id, record.seq, bobEmail);
    expect(delivery.traceId).toBe(traceId);
    await eventually(async () => (linesOf(notifier, traceId).some((l) => l.msg === `Delivery ${delivery._id} (email) sent`) ? true : undefined), 10_000, 'the notifier log line');
  });
});
