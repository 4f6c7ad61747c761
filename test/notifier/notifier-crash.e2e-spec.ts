import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { AppProcess, eventually } from '../support/app-process';
import { appEnv, runId } from '../support/env';
import { TEST_JWT_SECRET, graphqlOk, tokenFor } from '../support/graphql';
import { Mailbox } from '../support/mailbox';
import { DeliveryLedger, freshNotifierGroup } from '../support/notifier';

const MESSAGES = 500;
const CONVERSATIONS = 25;
const DOMAIN = 'notify.example.com';

/**
 * The notifier is SIGKILLed twice at random moments during a burst of 500 messages; after it
 * restarts, every notification is sent. Duplicates can only come from the crash window (sent,
 * not yet recorded) and are counted, by Message-ID, at the SMTP server.
 */
describe('notifier crash during a burst of messages', () => {
  const run = runId('notifier-crash');
  const alice = { sub: `alice-${run}`, email: `alice.${run}@example.com` };
  const mailbox = new Mailbox();
  let gateway: AppProcess;
  let notifier: AppProcess;
  let ledger: DeliveryLedger;
  let notifierEnv: NodeJS.ProcessEnv;
  const outputs: string[] = [];

  beforeAll(async () => {
    ledger = await DeliveryLedger.connect();
    notifierEnv = appEnv({ JWT_SECRET: TEST_JWT_SECRET, ALIAS_DOMAIN: DOMAIN, NOTIFIER_CONSUMER_GROUP: await freshNotifierGroup(), NOTIFIER_LEASE_MS: '5000', KAFKA_RETRY_INITIAL_MS: '100' });
    [gateway, notifier] = await Promise.all([AppProcess.start('gateway', appEnv({ JWT_SECRET: TEST_JWT_SECRET, ALIAS_DOMAIN: DOMAIN })), AppProcess.start('notifier', notifierEnv)]);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), notifier?.stop()]);
    await ledger?.close();
    mkdirSync('reports', { recursive: true });
    writeFileSync(`reports/notifier-crash.${run}.log`, [...outputs, notifier?.output].join('\n----- restarted -----\n'));
  });

  it('sends every notification after two SIGKILLs; duplicates counted', async () => {
    const aliceToken = await tokenFor(alice);
    const marker = `Crash ${run}`;
    const conversations: { id: string; bob: string }[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) {
      const bob = `bob${i}.${run}@example.com`;
      const { createConversation } = await graphqlOk(gateway.url, `mutation($i: CreateConversationInput!) { createConversation(input: $i) { id } }`, { i: { subject: marker, participants: [{ email: bob, displayName: `Bob ${i}` }] } }, aliceToken);
      conversations.push({ id: createConversation.id, bob });
    }

    const killAt = new Set([80 + Math.floor(Math.random() * 150), 280 + Math.floor(Math.random() * 150)]);
    let kills = 0;
    const started = Date.now();
    for (let n = 0; n < MESSAGES; n += 10) {
      // Ten at a time, as many people writing at once.
      await Promise.all(
        Array.from({ length: 10 }, (_, k) =>
          graphqlOk(gateway.url, `mutation($i: SendMessageInput!) { sendMessage(input: $i) { id } }`, { i: { conversationId: conversations[(n + k) % CONVERSATIONS].id, body: `message ${n + k}`, clientMessageId: `m${n + k}` } }, aliceToken),
        ),
      );
      if ([...killAt].some((at) => at >= n && at < n + 10)) {
        outputs.push(notifier.output);
        await notifier.stop('SIGKILL');
        kills++;
        notifier = await AppProcess.start('notifier', notifierEnv);
      }
    }
    expect(kills).toBe(2);

    const ids = conversations.map((c) => c.id);
    const deliveries = await eventually(async () => {
      const all = (await ledger.ofMany(ids)).filter((d) => d.kind === 'message');
      return all.length === MESSAGES && all.every((d) => d.state === 'sent') ? all : undefined;
    }, 180_000, `${MESSAGES} email deliveries sent`);
    const elapsed = (Date.now() - started) / 1000;

    const emails = await eventually(async () => {
      const found = (await mailbox.messages()).filter((m) => m.Subject.includes(marker));
      return new Set(found.map((m) => m.MessageID)).size >= MESSAGES ? found : undefined;
    }, 60_000, `${MESSAGES} distinct notification emails`);
    const distinct = new Set(emails.map((m) => m.MessageID));
    const duplicates = emails.length - distinct.size;
    // Every delivery's Message-ID arrived: nothing lost.
    for (const d of deliveries) expect(distinct.has(`n.${d._id}@${DOMAIN}`)).toBe(true);
    expect(distinct.size).toBe(MESSAGES);
    const retried = deliveries.filter((d) => d.attempts > 1).length;
    process.stdout.write(`notifier crash: ${MESSAGES} messages, 2 SIGKILLs, all ${distinct.size} notifications sent in ${elapsed.toFixed(1)} s; duplicates ${duplicates}; deliveries taken over after a crash ${retried}\n`);
    // Duplicates only inside the two crash windows: at most what was in flight (fan-out concurrency).
    expect(duplicates).toBeLessThanOrEqual(2 * 16);
  }, 400_000);
});
