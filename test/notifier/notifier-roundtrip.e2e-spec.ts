import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { AppProcess, eventually, sleep } from '../support/app-process';
import { appEnv, runId } from '../support/env';
import { TEST_JWT_SECRET, graphqlOk, tokenFor } from '../support/graphql';
import { Mailbox, MailboxMessage } from '../support/mailbox';
import { TEST_MAILGUN_SIGNING_KEY, postMailgun } from '../support/mailgun';
import { NotifyProviderSimulator } from '../support/notify-provider';
import { DeliveryLedger, freshNotifierGroup } from '../support/notifier';

const DOMAIN = 'notify.example.com';
const WEBHOOK_SECRET = 'e2e-provider-webhook-secret-0123456789';
const CREATE = `mutation($input: CreateConversationInput!) { createConversation(input: $input) { id myAlias participants { id email } } }`;
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { id createdAt } }`;
const MESSAGES = `query($id: ID!) { conversation(id: $id) { messages(first: 100) { edges { node { id body source author { email } } } } } }`;
const PREFS = `mutation($input: NotificationPreferencesInput!) { setNotificationPreferences(input: $input) { email sms push inApp phoneNumber hasPushToken } }`;
const MY_PREFS = `query($id: ID!) { conversation(id: $id) { myNotificationPreferences { email sms push inApp phoneNumber hasPushToken } } }`;

const header = (headers: Record<string, string[]>, name: string): string | undefined =>
  Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]?.[0];

/**
 * The notifier end to end, against the real Kafka, MongoDB-wire, SMTP servers and a provider
 * simulator: chat → email with threading, the email reply coming back through the inbound
 * webhook as the recipient's message, and the author notified of it; channels by preference;
 * provider status webhooks and email DSNs; unsubscribe links.
 */
describe('notifier: chat to email and back', () => {
  const run = runId('notify');
  const alice = { sub: `alice-${run}`, email: `alice.${run}@example.com` };
  const bobEmail = `bob.${run}@example.com`;
  const mailbox = new Mailbox();
  let gateway: AppProcess;
  let relay: AppProcess;
  let notifier: AppProcess;
  let provider: NotifyProviderSimulator;
  let ledger: DeliveryLedger;
  let aliceToken: string;

  beforeAll(async () => {
    ledger = await DeliveryLedger.connect();
    const shared = { JWT_SECRET: TEST_JWT_SECRET, MAILGUN_SIGNING_KEY: TEST_MAILGUN_SIGNING_KEY, ALIAS_DOMAIN: DOMAIN, NOTIFY_PROVIDER_WEBHOOK_SECRET: WEBHOOK_SECRET, KAFKA_RETRY_INITIAL_MS: '100' };
    gateway = await AppProcess.start('gateway', appEnv(shared));
    provider = await NotifyProviderSimulator.start({ token: 'e2e-provider-token', webhookSecret: WEBHOOK_SECRET, webhookUrl: `${gateway.url}/webhooks/notifications/status` });
    const group = await freshNotifierGroup();
    [relay, notifier] = await Promise.all([
      AppProcess.start('relay', appEnv(shared)),
      AppProcess.start(
        'notifier',
        appEnv({ ...shared, NOTIFIER_CONSUMER_GROUP: group, NOTIFY_PROVIDER_URL: provider.url, NOTIFY_PROVIDER_TOKEN: 'e2e-provider-token', NOTIFIER_REMINDERS: 'off', PUBLIC_URL: gateway.url, LOG_LEVEL: 'info' }),
      ),
    ]);
    aliceToken = await tokenFor(alice);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), relay?.stop(), notifier?.stop()]);
    await provider?.stop();
    await ledger?.close();
    mkdirSync('reports', { recursive: true });
    writeFileSync(`reports/notifier-roundtrip.${run}.log`, `${gateway?.output}\n----- relay -----\n${relay?.output}\n----- notifier -----\n${notifier?.output}`);
  });

  async function conversation(subject: string) {
    const created = await graphqlOk(gateway.url, CREATE, { input: { subject, useCase: 'recruiting', participants: [{ email: bobEmail, displayName: 'Bob Stone' }] } }, aliceToken);
    const c = created.createConversation;
    return { id: c.id as string, aliceAlias: c.myAlias as string, bobId: c.participants.find((p: { email: string }) => p.email === bobEmail).id as string };
  }

  const send = (conversationId: string, body: string) =>
    graphqlOk(gateway.url, SEND, { input: { conversationId, body, clientMessageId: randomBytes(6).toString('hex') } }, aliceToken);

  const mailTo = (address: string, subjectPart: string, count = 1) =>
    eventually(
      async () => {
        const found = (await mailbox.to(address)).filter((m) => m.Subject.includes(subjectPart));
        return found.length >= count ? found : undefined;
      },
      30_000,
      `${count} email(s) to ${address} about "${subjectPart}"`,
    );

  it('a chat message reaches the email-only participant, threaded, with their alias as Reply-To; their email reply comes back as their message and the author is notified', async () => {
    const c = await conversation(`Round trip ${run}`);
    await send(c.id, 'Hello Bob, are you free on Tuesday?');

    const [toBob] = await mailTo(bobEmail, `Round trip ${run}`);
    const headers = await mailbox.headers(toBob.ID);
    const replyTo = header(headers, 'Reply-To')!;
    expect(replyTo).toMatch(new RegExp(`^bob-stone-[a-z0-9]{13}@${DOMAIN.replace(/\./g, '\\.')}$`));
    expect(toBob.From.Address).toBe(`notifications@${DOMAIN}`);
    expect(toBob.From.Name).toMatch(/alice/i);
    expect(header(headers, 'Message-ID')).toMatch(new RegExp(`^<n\\.[a-z0-9]+@${DOMAIN.replace(/\./g, '\\.')}>$`));
    const root = `<conversation.${c.id}.${c.bobId}@${DOMAIN}>`;
    expect(header(headers, 'In-Reply-To')).toBe(root);
    expect(header(headers, 'References')).toContain(root);
    expect(header(headers, 'Auto-Submitted')).toBe('auto-generated');
    expect(header(headers, 'X-Auto-Response-Suppress')).toBe('All');
    expect(header(headers, 'X-Conversation-Alias-Notification')).toBeTruthy();
    expect(header(headers, 'List-Unsubscribe')).toContain(`${gateway.url}/notifications/unsubscribe?token=`);
    expect(header(headers, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(header(headers, 'Precedence')).toBeUndefined();
    expect(await mailbox.text(toBob.ID)).toContain('Hello Bob, are you free on Tuesday?');

    // Bob answers from his mail client: to the Reply-To address, threaded on the notification.
    const notificationId = header(headers, 'Message-ID')!;
    const reply = [
      `From: Bob Stone <${bobEmail}>`,
      `To: ${replyTo}`,
      `Subject: Re: ${toBob.Subject}`,
      `Date: ${new Date().toUTCString()}`,
      `Message-ID: <${randomBytes(8).toString('hex')}@mail.example.com>`,
      `In-Reply-To: ${notificationId}`,
      `References: ${root} ${notificationId}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      '',
      'Tuesday works for me.',
      '',
      `On ${new Date().toUTCString()}, Alice wrote:`,
      '> Hello Bob, are you free on Tuesday?',
    ].join('\r\n');
    expect((await postMailgun(gateway.url, reply, { recipient: replyTo, sender: bobEmail })).status).toBe(202);

    const fromBob = await eventually(
      async () => {
        const nodes = (await graphqlOk(gateway.url, MESSAGES, { id: c.id }, aliceToken)).conversation.messages.edges.map((e: { node: unknown }) => e.node);
        return nodes.find((m: { author: { email: string } }) => m.author.email === bobEmail);
      },
      30_000,
      "Bob's reply in the conversation",
    );
    expect(fromBob).toMatchObject({ body: 'Tuesday works for me.', source: 'EMAIL' });

    // Alice (an account holder) hears of it by email, with her own alias as Reply-To, and in-app.
    const [toAlice] = await mailTo(alice.email, `Round trip ${run}`);
    expect(header(await mailbox.headers(toAlice.ID), 'Reply-To')).toBe(c.aliceAlias);
    expect(await mailbox.text(toAlice.ID)).toContain('Tuesday works for me.');
    const deliveries = await eventually(async () => {
      const all = await ledger.of(c.id);
      return all.length === 3 && all.every((d) => d.state !== 'pending') ? all : undefined;
    }, 20_000, 'three settled deliveries');
    expect(deliveries.map((d) => `${d.recipient}:${d.channel}:${d.state}`).sort()).toEqual(
      [`${alice.email}:email:sent`, `${alice.sub}:in_app:delivered`, `${bobEmail}:email:sent`].sort(),
    );
    // Nobody is notified of their own message.
    expect((await mailbox.to(bobEmail)).filter((m) => m.Subject.includes(`Round trip ${run}`))).toHaveLength(1);
  });

  it('channels follow preferences: SMS and push through the provider, email off, and the status webhook moves the delivery', async () => {
    const c = await conversation(`Preferences ${run}`);
    const defaults = await graphqlOk(gateway.url, MY_PREFS, { id: c.id }, aliceToken);
    expect(defaults.conversation.myNotificationPreferences).toEqual({ email: true, sms: false, push: false, inApp: true, phoneNumber: null, hasPushToken: false });
    const invalid = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${aliceToken}` },
      body: JSON.stringify({ query: PREFS, variables: { input: { conversationId: c.id, sms: true } } }),
    }).then((r) => r.json() as Promise<{ errors?: { message: string }[] }>);
    expect(invalid.errors?.[0]?.message).toMatch(/phoneNumber/);
    const set = await graphqlOk(gateway.url, PREFS, { input: { conversationId: c.id, email: false, sms: true, phoneNumber: '+49 151 1234567', push: true, pushToken: 'device-token-abc' } }, aliceToken);
    expect(set.setNotificationPreferences).toEqual({ email: false, sms: true, push: true, inApp: true, phoneNumber: '+491511234567', hasPushToken: true });

    // Bob writes (by email); Alice gets SMS + push + in-app, no email.
    await send(c.id, 'Kick-off');
    const [kickoff] = await mailTo(bobEmail, `Preferences ${run}`);
    const bobReplyTo = header(await mailbox.headers(kickoff.ID), 'Reply-To')!;
    const raw = [`From: ${bobEmail}`, `To: ${bobReplyTo}`, `Subject: Re: Preferences`, `Date: ${new Date().toUTCString()}`, `Message-ID: <${randomBytes(8).toString('hex')}@mail.example.com>`, 'Content-Type: text/plain; charset=UTF-8', '', 'SMS me please.'].join('\r\n');
    expect((await postMailgun(gateway.url, raw, { recipient: bobReplyTo, sender: bobEmail })).status).toBe(202);

    const requests = await eventually(async () => {
      const mine = provider.messages().filter((m) => m.body.data.conversationId === c.id);
      return mine.length >= 2 ? mine : undefined;
    }, 30_000, 'SMS and push requests at the provider');
    const sms = requests.find((m) => m.body.channel === 'sms')!;
    const push = requests.find((m) => m.body.channel === 'push')!;
    expect(sms.body).toMatchObject({ channel: 'sms', recipient: '+491511234567', template: 'new-message', data: { conversationId: c.id, authorName: 'Bob Stone', preview: 'SMS me please.' } });
    expect(push.body).toMatchObject({ channel: 'push', recipient: 'device-token-abc', template: 'new-message' });
    expect(sms.headers['authorization']).toBe('Bearer e2e-provider-token');
    expect(sms.body.idempotencyKey).toMatch(/^d[a-z0-9]{26}$/);

    const byId = async (id: string) => ledger.get(id);
    await eventually(async () => ((await byId(sms.body.idempotencyKey))?.state === 'sent' ? true : undefined), 10_000, 'the SMS delivery sent');
    expect(await provider.sendStatus(sms.body.idempotencyKey, 'delivered')).toBe(204);
    expect(await provider.sendStatus(push.body.idempotencyKey, 'failed', 'token expired')).toBe(204);
    expect((await byId(sms.body.idempotencyKey))?.state).toBe('delivered');
    expect((await byId(push.body.idempotencyKey))).toMatchObject({ state: 'failed', lastError: 'token expired' });
    // States only move forward: a late "bounced" after "failed" changes nothing; a bad signature is refused.
    expect(await provider.sendStatus(push.body.idempotencyKey, 'delivered')).toBe(204);
    expect((await byId(push.body.idempotencyKey))?.state).toBe('failed');
    expect(await provider.sendStatusWithBadSignature(sms.body.idempotencyKey, 'bounced')).toBe(401);
    expect((await byId(sms.body.idempotencyKey))?.state).toBe('delivered');

    const deliveries = await ledger.of(c.id);
    const toAlice = deliveries.filter((d) => d.recipient !== bobEmail);
    expect(toAlice.map((d) => d.channel).sort()).toEqual(['in_app', 'push', 'sms']);
    await sleep(500);
    expect((await mailbox.to(alice.email)).filter((m) => m.Subject.includes(`Preferences ${run}`))).toHaveLength(0);
  });

  it('a DSN for a notification marks its delivery bounced; an unsubscribe link turns email off', async () => {
    const c = await conversation(`Bounces ${run}`);
    await send(c.id, 'First');
    const [first] = await mailTo(bobEmail, `Bounces ${run}`);
    const summary = ((await (await fetch(`http://127.0.0.1:8025/api/v1/messages?limit=10000`)).json()) as { messages: (MailboxMessage & { Envelope: { From: string } })[] }).messages.find((m: MailboxMessage) => m.ID === first.ID);
    const verp: string = summary!.Envelope.From;
    expect(verp).toMatch(new RegExp(`^bounces\\+[a-z0-9.]+@${DOMAIN.replace(/\./g, '\\.')}$`));
    const headers = await mailbox.headers(first.ID);

    const boundary = 'dsn-boundary';
    const dsn = [
      `From: Mail Delivery Subsystem <mailer-daemon@mx.example.com>`,
      `To: ${verp}`,
      `Subject: Undelivered Mail Returned to Sender`,
      `Date: ${new Date().toUTCString()}`,
      `Message-ID: <${randomBytes(8).toString('hex')}@mx.example.com>`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      `--${boundary}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.com',
      '',
      `Final-Recipient: rfc822; ${bobEmail}`,
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 mailbox unknown',
      `--${boundary}`,
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${header(headers, 'Message-ID')}`,
      `--${boundary}--`,
      '',
    ].join('\r\n');
    expect((await postMailgun(gateway.url, dsn, { recipient: verp, sender: '' })).status).toBe(202);
    const bounced = await eventually(async () => {
      const d = (await ledger.of(c.id)).find((x) => x.recipient === bobEmail);
      return d?.state === 'bounced' ? d : undefined;
    }, 30_000, 'the email delivery bounced');
    expect(bounced.lastError).toContain('5.1.1');
    expect(bounced.history?.at(-1)).toMatchObject({ state: 'bounced', source: 'email-dsn' });

    // Unsubscribe: GET only asks; POST (one-click) turns email off for Bob's seat.
    const link = header(headers, 'List-Unsubscribe')!.match(/<(http[^>]+)>/)![1];
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    const done = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(done.status).toBe(200);
    expect((await fetch(link.replace(/token=[^&]+/, 'token=forged'), { method: 'POST' })).status).toBe(400);

    await send(c.id, 'Second');
    // The in-app copy of a later message from Bob's side is irrelevant here: Bob gets nothing by email.
    await eventually(async () => ((await ledger.of(c.id)).length >= 1 ? true : undefined), 5_000, 'deliveries');
    await sleep(2_000);
    expect((await mailbox.to(bobEmail)).filter((m) => m.Subject.includes(`Bounces ${run}`))).toHaveLength(1);
    expect((await ledger.of(c.id)).filter((d) => d.recipient === bobEmail)).toHaveLength(1);
  });
});
