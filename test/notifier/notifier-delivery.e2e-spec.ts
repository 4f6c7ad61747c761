import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Kafka } from 'kafkajs';
import { ConversationEvent, DeadLetterHeaders, Topics, deadLetterTopicOf } from '@libs/contracts';
import { replayDeadLetters } from '@libs/kafka';
import { AppProcess, eventually } from '../support/app-process';
import { ConversationEventsReader } from '../support/conversation-events';
import { appEnv, runId } from '../support/env';
import { TEST_JWT_SECRET, graphqlOk, tokenFor } from '../support/graphql';
import { Mailbox } from '../support/mailbox';
import { NotifyProviderSimulator } from '../support/notify-provider';
import { DeliveryLedger, freshNotifierGroup } from '../support/notifier';

const DOMAIN = 'notify.example.com';
const EMAIL_RATE = 40;
const CREATE = `mutation($input: CreateConversationInput!) { createConversation(input: $input) { id participants { id email } } }`;
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }`;
const PREFS = `mutation($input: NotificationPreferencesInput!) { setNotificationPreferences(input: $input) { sms } }`;

/**
 * Deliveries under faults, against the real servers: a provider that is down (retries, then
 * the dead-letter topic, then a replay), one that refuses for good, an event consumed twice, and
 * a burst of 1,000 notifications against the per-channel rate limit.
 */
describe('notifier: retries, dead letters, idempotency and rate limits', () => {
  const run = runId('notify-faults');
  const alice = { sub: `alice-${run}`, email: `alice.${run}@example.com` };
  const mailbox = new Mailbox();
  const kafka = new Kafka({ brokers: appEnv().KAFKA_BROKERS!.split(','), logLevel: 0 });
  const conversations = new Set<string>();
  const events = new ConversationEventsReader(() => conversations);
  let gateway: AppProcess;
  let notifier: AppProcess;
  let provider: NotifyProviderSimulator;
  let ledger: DeliveryLedger;
  let aliceToken: string;

  beforeAll(async () => {
    ledger = await DeliveryLedger.connect();
    provider = await NotifyProviderSimulator.start({ token: 'e2e-token' });
    const group = await freshNotifierGroup();
    const shared = { JWT_SECRET: TEST_JWT_SECRET, ALIAS_DOMAIN: DOMAIN };
    [gateway, notifier] = await Promise.all([
      AppProcess.start('gateway', appEnv(shared)),
      AppProcess.start(
        'notifier',
        appEnv({
          ...shared,
          NOTIFIER_CONSUMER_GROUP: group,
          NOTIFY_PROVIDER_URL: provider.url,
          NOTIFY_PROVIDER_TOKEN: 'e2e-token',
          NOTIFY_PROVIDER_TIMEOUT_MS: '1000',
          NOTIFIER_REMINDERS: 'off',
          NOTIFIER_RATE_EMAIL_PER_SECOND: String(EMAIL_RATE),
          KAFKA_CONSUMER_MAX_ATTEMPTS: '3',
          KAFKA_RETRY_INITIAL_MS: '100',
          KAFKA_RETRY_MAX_MS: '400',
          LOG_LEVEL: 'info',
        }),
      ),
    ]);
    await events.start();
    aliceToken = await tokenFor(alice);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), notifier?.stop()]);
    await Promise.all([provider?.stop(), ledger?.close(), events.stop()]);
    mkdirSync('reports', { recursive: true });
    writeFileSync(`reports/notifier-delivery.${run}.log`, `${gateway?.output}\n----- notifier -----\n${notifier?.output}`);
  });

  /** Alice and Bob; Bob (email-only, signing in by email) wants SMS too. */
  async function withSmsRecipient(subject: string) {
    const bob = { sub: `bob-${randomBytes(4).toString('hex')}`, email: `bob.${randomBytes(4).toString('hex')}.${run}@example.com` };
    const created = await graphqlOk(gateway.url, CREATE, { input: { subject, participants: [{ email: bob.email, displayName: 'Bob' }] } }, aliceToken);
    const id = created.createConversation.id as string;
    conversations.add(id);
    await graphqlOk(gateway.url, PREFS, { input: { conversationId: id, sms: true, phoneNumber: '+15555550123' } }, await tokenFor(bob));
    return { id, bob };
  }

  const send = (conversationId: string, body: string) =>
    graphqlOk(gateway.url, SEND, { input: { conversationId, body, clientMessageId: randomBytes(6).toString('hex') } }, aliceToken);

  async function deadLettersOf(conversationId: string): Promise<{ event: ConversationEvent; headers: Record<string, string> }[]> {
    const consumer = kafka.consumer({ groupId: runId('dlq-reader') });
    const found: { event: ConversationEvent; headers: Record<string, string> }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: deadLetterTopicOf(Topics.ConversationEvents), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value!.toString()) as ConversationEvent;
        if (event.conversationId !== conversationId) return;
        found.push({ event, headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])) });
      },
    });
    try {
      await eventually(async () => (found.length > 0 ? true : undefined), 20_000, `a dead letter of ${conversationId}`);
      return found;
    } finally {
      await consumer.disconnect();
    }
  }

  it('provider down: retried with backoff, then on conversation.events.dlq; the email went once; a replay after recovery sends the SMS once', async () => {
    const c = await withSmsRecipient(`Provider down ${run}`);
    provider.down();
    await send(c.id, 'Are you there?');

    const [dead] = await deadLettersOf(c.id);
    expect(dead.event.type).toBe('MessageAdded');
    expect(dead.headers[DeadLetterHeaders.Attempts]).toBe('3');
    expect(dead.headers[DeadLetterHeaders.ErrorCode]).toBe('DELIVERY_PROVIDER_UNAVAILABLE');
    const sms = (await ledger.of(c.id)).find((d) => d.channel === 'sms')!;
    expect(sms).toMatchObject({ state: 'pending', attempts: 3 });
    expect(sms.lastError).toMatch(/503|unavailable|unreachable/i);
    expect(provider.messageRequests(sms._id).length).toBeGreaterThanOrEqual(3);
    expect(provider.messageFor(sms._id)).toBeUndefined();
    // Email is another delivery of the same event: sent at the first attempt, not on the retries.
    expect((await mailbox.to(c.bob.email)).filter((m) => m.Subject.includes(`Provider down ${run}`))).toHaveLength(1);

    provider.up();
    const replay = await replayDeadLetters(kafka, { topic: deadLetterTopicOf(Topics.ConversationEvents) });
    expect(replay.replayed).toBeGreaterThanOrEqual(1);
    await eventually(async () => ((await ledger.get(sms._id))?.state === 'sent' ? true : undefined), 30_000, 'the SMS sent after the replay');
    expect(provider.messages().filter((m) => m.idempotencyKey === sms._id)).toHaveLength(1);
    expect((await mailbox.to(c.bob.email)).filter((m) => m.Subject.includes(`Provider down ${run}`))).toHaveLength(1);
  });

  it('a permanent refusal fails the delivery at once, without retries or a dead letter', async () => {
    const c = await withSmsRecipient(`Refused ${run}`);
    provider.failAll(400, { code: 'INVALID_RECIPIENT', message: 'Number not reachable' });
    try {
      await send(c.id, 'Hello');
      const sms = await eventually(async () => {
        const d = (await ledger.of(c.id)).find((x) => x.channel === 'sms');
        return d && d.state !== 'pending' ? d : undefined;
      }, 20_000, 'the SMS delivery settled');
      expect(sms).toMatchObject({ state: 'failed', attempts: 1 });
      expect(sms.lastError).toContain('INVALID_RECIPIENT');
      expect(provider.messageRequests(sms._id)).toHaveLength(1);
      // The email delivery of the same event runs beside the SMS and is not held back by its failure.
      await eventually(async () => ((await ledger.of(c.id)).find((d) => d.channel === 'email')?.state === 'sent' ? true : undefined), 10_000, 'the email delivery sent');
    } finally {
      provider.failAll('reset');
    }
  });

  it('the same event consumed twice sends once', async () => {
    const c = await withSmsRecipient(`Twice ${run}`);
    await send(c.id, 'Only once, please');
    await events.waitFor((all) => all.some((e) => e.conversationId === c.id && e.type === 'MessageAdded'), 20_000, 'the MessageAdded event');
    const settled = await eventually(async () => {
      const all = await ledger.of(c.id);
      return all.length === 2 && all.every((d) => d.state === 'sent') ? all : undefined;
    }, 20_000, 'email and SMS sent');

    const alreadyDone = async () => metricSum(await (await fetch(`${notifier.url}/metrics`)).text(), 'notifier_deliveries_total', 'outcome="already-done"');
    const before = await alreadyDone();
    const original = events.events.find((e) => e.conversationId === c.id && e.type === 'MessageAdded')!;
    const { partition, offset, ...event } = original;
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: Topics.ConversationEvents, messages: [{ key: c.id, value: JSON.stringify(event) }] });
    await producer.disconnect();

    await eventually(async () => ((await alreadyDone()) >= before + 2 ? true : undefined), 20_000, 'the duplicate event handled');
    expect((await mailbox.to(c.bob.email)).filter((m) => m.Subject.includes(`Twice ${run}`))).toHaveLength(1);
    expect(provider.messages().filter((m) => m.body.data.conversationId === c.id)).toHaveLength(1);
    expect((await ledger.of(c.id)).map((d) => d.attempts)).toEqual(settled.map((d) => d.attempts));
  });

  it(`holds the email rate limit (${EMAIL_RATE}/s) under a burst of 1,000 notifications, dropping none`, async () => {
    const marker = `Burst ${run}`;
    const ids: string[] = [];
    // 10 conversations of 100 (Alice + 99) and one of 11: one message each fans out to 1,000 emails.
    for (const size of [...Array(10).fill(99), 10]) {
      const participants = Array.from({ length: size }, (_, i) => ({ email: `p${i}.${randomBytes(3).toString('hex')}.${run}@example.com`, displayName: `P ${i}` }));
      const created = await graphqlOk(gateway.url, CREATE, { input: { subject: marker, participants } }, aliceToken);
      ids.push(created.createConversation.id);
    }
    await Promise.all(ids.map((id) => send(id, 'Everyone, please read this')));

    const emails = await eventually(async () => {
      const found = (await mailbox.messages()).filter((m) => m.Subject.includes(marker));
      return found.length >= 1000 ? found : undefined;
    }, 120_000, '1,000 notification emails');
    expect(emails).toHaveLength(1000);
    expect(new Set(emails.map((m) => m.MessageID)).size).toBe(1000);
    const deliveries = await ledger.ofMany(ids);
    expect(deliveries.filter((d) => d.channel === 'email' && d.state === 'sent')).toHaveLength(1000);

    // When the SMTP server accepted each: in any 10 s, never more than a full bucket plus 10 s of
    // refill, with one second of slack because acceptance lags the token by however long the send
    // waited for an SMTP connection (sends taken together are accepted in clumps, so a 1 s
    // window is too noisy to judge). An unlimited notifier (~60/s here) sends ~600 in 10 s.
    const times = deliveries.map((d) => new Date(d.sentAt!).getTime()).sort((a, b) => a - b);
    const busiest = (windowMs: number) => {
      let most = 0;
      for (let i = 0, j = 0; i < times.length; i++) {
        while (times[i] - times[j] >= windowMs) j++;
        most = Math.max(most, i - j + 1);
      }
      return most;
    };
    const spread = (times[times.length - 1] - times[0]) / 1000;
    process.stdout.write(`rate limit: 1000 emails over ${spread.toFixed(2)} s, busiest second ${busiest(1000)}, busiest 10 s ${busiest(10_000)}\n`);
    expect(busiest(10_000)).toBeLessThanOrEqual(EMAIL_RATE + 10 * EMAIL_RATE + EMAIL_RATE);
    expect(spread).toBeGreaterThanOrEqual((1000 - EMAIL_RATE) / EMAIL_RATE - 0.3);
    const waited = metricSum(await (await fetch(`${notifier.url}/metrics`)).text(), 'notifier_rate_limit_wait_seconds_count', 'channel="email"');
    expect(waited).toBeGreaterThan(0);
  }, 240_000);
});

/** Sums the samples of a metric whose labels contain `labelPart`. */
function metricSum(text: string, name: string, labelPart: string): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && line.includes(labelPart))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

