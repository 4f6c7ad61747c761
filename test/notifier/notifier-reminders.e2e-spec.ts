import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { AppProcess, eventually, sleep } from '../support/app-process';
import { appEnv, runId } from '../support/env';
import { TEST_JWT_SECRET, graphqlOk, tokenFor } from '../support/graphql';
import { Mailbox } from '../support/mailbox';
import { TEST_MAILGUN_SIGNING_KEY, postMailgun } from '../support/mailgun';
import { DeliveryLedger, freshNotifierGroup } from '../support/notifier';

const DOMAIN = 'notify.example.com';
const HOUR = 3_600_000;
const CREATE = `mutation($input: CreateConversationInput!) { createConversation(input: $input) { id } }`;
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }`;
const READ = `mutation($id: ID!) { markConversationRead(conversationId: $id) { id } }`;

/**
 * Reminders (24 h, 48 h, 7 d while unread) with two notifier instances running at once on a
 * clock the test moves: each stage reaches each recipient once; a read and a reply end them.
 */
describe('notifier: reminders across two instances', () => {
  const run = runId('reminders');
  const alice = { sub: `alice-${run}`, email: `alice.${run}@example.com` };
  const people = { bob: `bob.${run}@example.com`, carol: `carol.${run}@example.com`, dave: `dave.${run}@example.com` };
  const mailbox = new Mailbox();
  let gateway: AppProcess;
  let relay: AppProcess;
  let notifiers: AppProcess[] = [];
  let ledger: DeliveryLedger;
  let aliceToken: string;

  beforeAll(async () => {
    ledger = await DeliveryLedger.connect();
    const shared = { JWT_SECRET: TEST_JWT_SECRET, MAILGUN_SIGNING_KEY: TEST_MAILGUN_SIGNING_KEY, ALIAS_DOMAIN: DOMAIN, KAFKA_RETRY_INITIAL_MS: '100' };
    const group = await freshNotifierGroup();
    const notifierEnv = appEnv({ ...shared, NOTIFIER_CONSUMER_GROUP: group, NOTIFIER_CLOCK_CONTROL: 'on', NOTIFIER_REMINDER_POLL_MS: '300', NOTIFIER_LEASE_MS: '5000', LOG_LEVEL: 'info' });
    [gateway, relay, ...notifiers] = await Promise.all([
      AppProcess.start('gateway', appEnv(shared)),
      AppProcess.start('relay', appEnv(shared)),
      AppProcess.start('notifier', notifierEnv),
      AppProcess.start('notifier', notifierEnv),
    ]);
    aliceToken = await tokenFor(alice);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), relay?.stop(), ...notifiers.map((n) => n.stop())]);
    await ledger?.close();
    mkdirSync('reports', { recursive: true });
    writeFileSync(`reports/notifier-reminders.${run}.log`, notifiers.map((n, i) => `----- notifier ${i} -----\n${n.output}`).join('\n'));
  });

  /** Both instances' clocks at `offsetMs` from now; each polls for due stages at once. */
  const moveClocks = (offsetMs: number) =>
    Promise.all(notifiers.map((n) => fetch(`${n.url}/admin/clock`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ offsetMs }) }).then((r) => expect(r.status).toBe(200))));

  const remindersTo = async (address: string, subject: string) =>
    (await mailbox.to(address)).filter((m) => m.Subject.startsWith('Reminder:') && m.Subject.includes(subject));

  it('sends each stage once per recipient, and a read or a reply ends the reminders', async () => {
    const subject = `Interview ${run}`;
    const conversations: Record<keyof typeof people, string> = { bob: '', carol: '', dave: '' };
    for (const [name, email] of Object.entries(people) as [keyof typeof people, string][]) {
      const created = await graphqlOk(gateway.url, CREATE, { input: { subject, participants: [{ email, displayName: name }] } }, aliceToken);
      conversations[name] = created.createConversation.id;
      await graphqlOk(gateway.url, SEND, { input: { conversationId: conversations[name], body: `Hi ${name}`, clientMessageId: randomBytes(6).toString('hex') } }, aliceToken);
    }
    // Everyone got the message itself, and no reminder yet.
    await eventually(async () => ((await Promise.all(Object.values(people).map((p) => mailbox.to(p)))).every((l) => l.length === 1) ? true : undefined), 30_000, 'the three notifications');
    await moveClocks(23 * HOUR);
    await sleep(1_000);
    for (const email of Object.values(people)) expect(await remindersTo(email, subject)).toHaveLength(0);

    // 24 h: the first reminder, once each, though two instances poll.
    await moveClocks(24 * HOUR + 60_000);
    await eventually(async () => ((await Promise.all(Object.values(people).map((p) => remindersTo(p, subject)))).every((l) => l.length === 1) ? true : undefined), 20_000, 'first reminders');

    // Carol reads the conversation (she signs in with her address); Dave replies by email.
    await graphqlOk(gateway.url, READ, { id: conversations.carol }, await tokenFor({ sub: `carol-${run}`, email: people.carol }));
    const [toDave] = await mailbox.to(people.dave);
    const daveAlias = (await mailbox.headers(toDave.ID))['Reply-To'][0];
    const reply = [`From: ${people.dave}`, `To: ${daveAlias}`, `Subject: Re: ${subject}`, `Date: ${new Date().toUTCString()}`, `Message-ID: <${randomBytes(8).toString('hex')}@mail.example.com>`, 'Content-Type: text/plain; charset=UTF-8', '', 'Yes, see you then.'].join('\r\n');
    expect((await postMailgun(gateway.url, reply, { recipient: daveAlias, sender: people.dave })).status).toBe(202);
    // Alice is told of Dave's reply: then both ends are recorded.
    await eventually(async () => ((await mailbox.to(alice.email)).some((m) => m.Subject.includes(subject)) ? true : undefined), 30_000, "Alice notified of Dave's reply");
    await eventually(async () => {
      const [carol, dave] = await Promise.all([ledger.db.collection('reminders').findOne({ conversationId: conversations.carol, active: false }), ledger.db.collection('reminders').findOne({ conversationId: conversations.dave, active: false })]);
      return carol && dave ? true : undefined;
    }, 20_000, 'the read and the reply recorded');

    // 48 h and 7 d: Bob gets the second and third; Carol and Dave nothing more.
    await moveClocks(48 * HOUR + 60_000);
    await eventually(async () => ((await remindersTo(people.bob, subject)).length === 2 ? true : undefined), 20_000, "Bob's second reminder");
    await moveClocks(7 * 24 * HOUR + 60_000);
    await eventually(async () => ((await remindersTo(people.bob, subject)).length === 3 ? true : undefined), 20_000, "Bob's third reminder");
    await moveClocks(30 * 24 * HOUR);
    await sleep(1_500);

    expect(await remindersTo(people.bob, subject)).toHaveLength(3);
    expect(await remindersTo(people.carol, subject)).toHaveLength(1);
    expect(await remindersTo(people.dave, subject)).toHaveLength(1);
    const bobReminders = (await ledger.of(conversations.bob)).filter((d) => d.kind === 'reminder');
    expect(bobReminders.map((d) => d.state)).toEqual(['sent', 'sent', 'sent']);
    // Threaded like the notification: same thread root for Bob.
    const [first] = await remindersTo(people.bob, subject);
    const headers = await mailbox.headers(first.ID);
    expect(headers['In-Reply-To'][0]).toMatch(/^<conversation\./);
    expect(headers['Auto-Submitted'][0]).toBe('auto-generated');
  });
});
