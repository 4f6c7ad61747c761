import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { MongoClient } from 'mongodb';
import { AppProcess, eventually, sleep } from '../support/app-process';
import { appEnv, runId } from '../support/env';
import { TEST_JWT_SECRET, graphqlOk, tokenFor } from '../support/graphql';
import { Mailbox } from '../support/mailbox';
import { TEST_MAILGUN_SIGNING_KEY, postMailgun } from '../support/mailgun';

const DOMAIN = 'relay.example.com';
const CREATE = `mutation($input: CreateConversationInput!) { createConversation(input: $input) { id myAlias participants { email } } }`;
const MESSAGES = `query($id: ID!) { conversation(id: $id) { myAlias messages(first: 100) { edges { node { id body source author { email } } } } } }`;

function mime(o: { from: string; to: string; subject?: string; body: string; messageId?: string | null; headers?: string[] }): string {
  const lines = [
    `From: ${o.from}`,
    `To: ${o.to}`,
    `Subject: ${o.subject ?? 'Re: Senior engineer'}`,
    `Date: ${new Date().toUTCString()}`,
    ...(o.messageId === null ? [] : [`Message-ID: ${o.messageId ?? `<${randomBytes(8).toString('hex')}@mail.example.com>`}`]),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    ...(o.headers ?? []),
    '',
    o.body,
  ];
  return lines.join('\r\n');
}

/** From a raw email to a conversation message, through the real webhook, Kafka and the relay. */
describe('relay: inbound email to conversation', () => {
  const run = runId('relay');
  const alice = { sub: `alice-${run}`, email: `alice.${run}@example.com` };
  const bobEmail = `bob.${run}@example.com`;
  const env = () =>
    appEnv({ JWT_SECRET: TEST_JWT_SECRET, MAILGUN_SIGNING_KEY: TEST_MAILGUN_SIGNING_KEY, ALIAS_DOMAIN: DOMAIN, KAFKA_RETRY_INITIAL_MS: '100', RELAY_MAX_ATTACHMENT_BYTES: '100000', LOG_LEVEL: 'info' });
  let gateway: AppProcess;
  let relay: AppProcess;
  let aliceToken: string;
  let mongo: MongoClient;
  const mailbox = new Mailbox();

  async function conversationWithBob(subject: string) {
    const created = await graphqlOk(gateway.url, CREATE, { input: { subject, participants: [{ email: bobEmail, displayName: 'Bob Stone' }] } }, aliceToken);
    const bobToken = await tokenFor({ sub: `bob-${run}`, email: bobEmail });
    const bobAlias: string = (await graphqlOk(gateway.url, MESSAGES, { id: created.createConversation.id }, bobToken)).conversation.myAlias;
    return { id: created.createConversation.id as string, aliceAlias: created.createConversation.myAlias as string, bobAlias };
  }

  const messagesOf = async (id: string) =>
    (await graphqlOk(gateway.url, MESSAGES, { id }, aliceToken)).conversation.messages.edges.map((e: { node: { body: string; source: string; author: { email: string } } }) => e.node);

  async function statusOf(ingressId: string): Promise<{ status: string; statusReason: string | null }> {
    return eventually(
      async () => {
        const record = await mongo.db().collection('inbound_emails').findOne({ _id: ingressId as never });
        return record && !['received', 'queued'].includes(record.status as string) ? (record as unknown as { status: string; statusReason: string | null }) : undefined;
      },
      60_000,
      `the relay's outcome for ${ingressId}`,
    );
  }

  beforeAll(async () => {
    mongo = await MongoClient.connect(appEnv().MONGO_URL!);
    [gateway, relay] = await Promise.all([AppProcess.start('gateway', env()), AppProcess.start('relay', env())]);
    aliceToken = await tokenFor(alice);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), relay?.stop()]);
    await mongo?.close();
    // The apps' logs, for when a test here fails (reports/ is git-ignored).
    mkdirSync('reports', { recursive: true });
    writeFileSync(`reports/relay-routing.${run}.log`, `${gateway?.output}\n----- relay -----\n${relay?.output}`);
  });

  it('1. a reply to one alias becomes that participant\'s message, quote trimmed, raw stored once', async () => {
    const c = await conversationWithBob('Case 1');
    const raw = mime({
      from: `Bob Stone <${bobEmail}>`,
      to: c.bobAlias,
      body: 'Thursday at 10 works for me.\r\n\r\nOn Mon, 2 Mar 2026 at 09:12, Alice <noreply@relay.example.com> wrote:\r\n> Would Thursday work?\r\n',
    });
    const answer = await postMailgun(gateway.url, raw, { recipient: c.bobAlias, sender: bobEmail });
    expect(answer.status).toBe(202);
    const messages = await eventually(async () => {
      const list = await messagesOf(c.id);
      return list.length > 0 ? list : undefined;
    }, 30_000, 'the message in the conversation');
    expect(messages).toEqual([{ body: 'Thursday at 10 works for me.', source: 'EMAIL', author: { email: bobEmail } }].map((m) => expect.objectContaining(m)));
    expect((await statusOf(answer.body.id!)).status).toBe('processed');
    // The trimmed quote stays retrievable, as does the raw email behind the message.
    const stored = await mongo.db().collection('conversation_events').findOne({ conversationId: c.id, type: 'MessageAdded' });
    expect(stored?.data.trimmedText).toContain('> Would Thursday work?');
    expect(stored?.data.rawEmail).toEqual({ inboundEmailId: answer.body.id, blobKey: expect.stringMatching(/^inbound\//) });

    // The provider retries the same delivery: one message still.
    const again = await postMailgun(gateway.url, raw, { recipient: c.bobAlias, sender: bobEmail });
    expect(again.status).toBe(202);
    await sleep(2_000);
    expect(await messagesOf(c.id)).toHaveLength(1);
  });

  it('2. aliases of two conversations → the message in each; two aliases of one conversation → once', async () => {
    const [a, b] = [await conversationWithBob('Case 2a'), await conversationWithBob('Case 2b')];
    const raw = mime({ from: bobEmail, to: `${a.bobAlias}, ${b.bobAlias}`, body: 'Same answer to both.' });
    await postMailgun(gateway.url, raw, { recipient: `${a.bobAlias},${a.aliceAlias},${b.bobAlias}`, sender: bobEmail });
    for (const id of [a.id, b.id]) {
      const list = await eventually(async () => ((await messagesOf(id)).length > 0 ? messagesOf(id) : undefined), 30_000, `the message in ${id}`);
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ body: 'Same answer to both.', author: { email: bobEmail } });
    }
  });

  it('7. a sender who changed address is recognised through the account\'s previous addresses', async () => {
    const c = await conversationWithBob('Case 7');
    const newAddress = `bob.new.${run}@example.com`;
    const admin = await tokenFor({ sub: `admin-${run}`, email: `admin.${run}@example.com`, roles: ['admin'] });
    await graphqlOk(gateway.url, `mutation($i: AccountInput!) { upsertAccount(input: $i) { id } }`, { i: { email: newAddress, displayName: 'Bob Stone', previousEmails: [bobEmail] } }, admin);
    await postMailgun(gateway.url, mime({ from: newAddress, to: c.bobAlias, body: 'Writing from my new address.' }), { recipient: c.bobAlias, sender: newAddress });
    const list = await eventually(async () => ((await messagesOf(c.id)).length > 0 ? messagesOf(c.id) : undefined), 30_000, 'the message');
    expect(list[0]).toMatchObject({ body: 'Writing from my new address.', author: { email: bobEmail } });
  });

  it('7. an unknown sender gets one bounce asking to reply from the registered address, and nothing is posted', async () => {
    const c = await conversationWithBob('Unknown sender');
    const stranger = `stranger.${run}@example.org`;
    for (let i = 0; i < 2; i++) {
      const answer = await postMailgun(gateway.url, mime({ from: stranger, to: c.bobAlias, body: `Let me in ${i}` }), { recipient: c.bobAlias, sender: stranger });
      expect((await statusOf(answer.body.id!)).status).toBe('bounced');
    }
    const bounces = await eventually(async () => {
      const list = await mailbox.to(stranger);
      return list.length > 0 ? list : undefined;
    }, 30_000, 'the bounce');
    await sleep(1_000);
    expect(await mailbox.to(stranger)).toHaveLength(1);
    const headers = await mailbox.headers(bounces[0].ID);
    expect(headers['Auto-Submitted']?.[0]).toMatch(/auto-replied/);
    expect(await messagesOf(c.id)).toEqual([]);
  });

  it('never posts an auto-reply, and ignores mail that addresses no alias', async () => {
    const c = await conversationWithBob('Auto reply');
    const auto = await postMailgun(
      gateway.url,
      mime({ from: bobEmail, to: c.bobAlias, subject: 'Automatic reply: Senior engineer', body: 'I am out of office.', headers: ['Auto-Submitted: auto-replied'] }),
      { recipient: c.bobAlias, sender: bobEmail },
    );
    expect((await statusOf(auto.body.id!)).status).toBe('ignored');
    const elsewhere = await postMailgun(gateway.url, mime({ from: bobEmail, to: 'someone@other.example', body: 'Not for you.' }), { recipient: 'someone@other.example', sender: bobEmail });
    expect(await statusOf(elsewhere.body.id!)).toMatchObject({ status: 'ignored', statusReason: 'no-alias' });
    expect(await messagesOf(c.id)).toEqual([]);
  });

  it('refuses an email too large for a conversation with a "too large" bounce', async () => {
    const c = await conversationWithBob('Too large');
    const boundary = 'b-too-large';
    const raw = [
      `From: ${bobEmail}`, `To: ${c.bobAlias}`, 'Subject: Re: the portfolio', `Date: ${new Date().toUTCString()}`,
      `Message-ID: <too-large-${run}@mail.example.com>`, 'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${boundary}"`, '',
      `--${boundary}`, 'Content-Type: text/plain; charset=UTF-8', '', 'Here is my portfolio.', '',
      `--${boundary}`, 'Content-Type: application/pdf; name="portfolio.pdf"', 'Content-Disposition: attachment; filename="portfolio.pdf"', 'Content-Transfer-Encoding: base64', '',
      randomBytes(150_000).toString('base64').replace(/(.{76})/g, '$1\r\n'), `--${boundary}--`, '',
    ].join('\r\n');
    const answer = await postMailgun(gateway.url, raw, { recipient: c.bobAlias, sender: bobEmail });
    expect(await statusOf(answer.body.id!)).toMatchObject({ status: 'bounced', statusReason: 'too-large' });
    const bounces = await eventually(async () => {
      const list = (await mailbox.to(bobEmail)).filter((m) => /portfolio/i.test(m.Subject));
      return list.length > 0 ? list : undefined;
    }, 30_000, 'the too-large bounce');
    expect((await mailbox.headers(bounces[0].ID))['Auto-Submitted']?.[0]).toMatch(/auto-replied/);
    expect(await messagesOf(c.id)).toEqual([]);
  });

  it('refuses a revoked alias with a bounce', async () => {
    const c = await conversationWithBob('Revoked');
    const bobToken = await tokenFor({ sub: `bob-${run}`, email: bobEmail });
    await graphqlOk(gateway.url, `mutation($a: String!) { revokeAlias(address: $a) }`, { a: c.bobAlias }, bobToken);
    const answer = await postMailgun(gateway.url, mime({ from: bobEmail, to: c.bobAlias, body: 'Still here?' }), { recipient: c.bobAlias, sender: bobEmail });
    expect(await statusOf(answer.body.id!)).toMatchObject({ status: 'bounced' });
    expect(await messagesOf(c.id)).toEqual([]);
  });
});
