import { randomBytes, randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { AppProcess, eventually } from '../support/app-process';
import { appEnv, runId } from '../support/env';
import { TEST_JWT_SECRET, graphqlOk, tokenFor } from '../support/graphql';
import { LegacySimulator } from '../support/legacy-simulator';
import { TEST_MAILGUN_SIGNING_KEY, postMailgun } from '../support/mailgun';

const DOMAIN = 'relay.example.com';
const LEGACY_DOMAIN = 'legacy.example.com';
const CREATE = `mutation($input: CreateConversationInput!) { createConversation(input: $input) { id myAlias } }`;
const MESSAGES = `query($id: ID!) { conversation(id: $id) { myAlias messages(first: 100) { edges { node { id body source author { email } } } } } }`;

function mime(o: { from: string; to: string; body: string }): string {
  return [
    `From: ${o.from}`,
    `To: ${o.to}`,
    'Subject: Re: Senior engineer',
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${randomBytes(8).toString('hex')}@mail.example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    '',
    o.body,
  ].join('\r\n');
}

const legacyAlias = () => `${randomUUID()}@${LEGACY_DOMAIN}`;

/** DESIGN §4 cases 3-6 through the real webhook, Kafka, the relay and a simulated legacy system. */
describe('relay: legacy aliases and the legacy system', () => {
  const run = runId('legacy');
  const alice = { sub: `alice-${run}`, email: `alice.${run}@example.com` };
  const bobEmail = `bob.${run}@example.com`;
  let legacy: LegacySimulator;
  let gateway: AppProcess;
  let relay: AppProcess;
  let aliceToken: string;
  let mongo: MongoClient;

  async function conversationWithBob(subject: string) {
    const created = await graphqlOk(gateway.url, CREATE, { input: { subject, participants: [{ email: bobEmail, displayName: 'Bob Stone' }] } }, aliceToken);
    const bobToken = await tokenFor({ sub: `bob-${run}`, email: bobEmail });
    const bobAlias: string = (await graphqlOk(gateway.url, MESSAGES, { id: created.createConversation.id }, bobToken)).conversation.myAlias;
    return { id: created.createConversation.id as string, bobAlias };
  }

  const messagesOf = async (id: string) =>
    (await graphqlOk(gateway.url, MESSAGES, { id }, aliceToken)).conversation.messages.edges.map((e: { node: { body: string } }) => e.node);

  /** Waits for the relay's recorded outcome: it is written after the hand-over, never before. */
  async function outcomeOf(inboundEmailId: string): Promise<{ status: string; statusReason: string | null }> {
    return eventually(
      async () => {
        const record = await mongo.db().collection('inbound_emails').findOne({ _id: inboundEmailId as never });
        return record && !['received', 'queued'].includes(record.status as string) ? (record as unknown as { status: string; statusReason: string | null }) : undefined;
      },
      30_000,
      `the relay's outcome for ${inboundEmailId}`,
    );
  }

  async function dedupCount(reason: string): Promise<number> {
    const text = await (await fetch(`${relay.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('relay_deduplications_total{') && l.includes(`reason="${reason}"`));
    return line ? Number(line.trim().split(/\s+/).pop()) : 0;
  }

  async function send(to: string[]): Promise<string> {
    const answer = await postMailgun(gateway.url, mime({ from: `Bob Stone <${bobEmail}>`, to: to.join(', '), body: `Hello ${randomBytes(4).toString('hex')}` }), {
      recipient: to.join(','),
      sender: bobEmail,
    });
    expect(answer.status).toBe(202);
    return answer.body.id!;
  }

  beforeAll(async () => {
    legacy = await LegacySimulator.start();
    mongo = await MongoClient.connect(appEnv().MONGO_URL!);
    const env = appEnv({
      JWT_SECRET: TEST_JWT_SECRET,
      MAILGUN_SIGNING_KEY: TEST_MAILGUN_SIGNING_KEY,
      ALIAS_DOMAIN: DOMAIN,
      LEGACY_ALIAS_DOMAINS: LEGACY_DOMAIN,
      LEGACY_SYSTEM_URL: legacy.url,
      LEGACY_SYSTEM_TIMEOUT_MS: '2000',
      KAFKA_RETRY_INITIAL_MS: '100',
    });
    [gateway, relay] = await Promise.all([AppProcess.start('gateway', env), AppProcess.start('relay', env)]);
    aliceToken = await tokenFor(alice);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), relay?.stop()]);
    await legacy?.stop();
    await mongo?.close();
  });

  it('3. only a legacy alias → handed over once, unchanged (blob key, inbound id); nothing posted', async () => {
    const c = await conversationWithBob('Case 3');
    const alias = legacyAlias();
    legacy.seedAlias(alias, `L-${run}-3`);
    const id = await send([alias]);
    expect((await outcomeOf(id)).status).toBe('processed');
    const handOvers = legacy.handOversOf(id);
    expect(handOvers).toHaveLength(1);
    expect(handOvers[0]).toMatchObject({ inboundEmailId: id, alias, idempotencyKey: `${id}:${alias}`, rawSha256: id, envelopeSender: bobEmail });
    expect(handOvers[0].blobKey).toEqual(expect.any(String));
    expect(handOvers[0].blobKey).toContain(id);
    expect(legacy.callsTo('GET', `/aliases/${encodeURIComponent(alias)}`).length).toBeGreaterThan(0);
    expect(await messagesOf(c.id)).toEqual([]);
  });

  it('4. two legacy aliases → each handed over', async () => {
    const [a, b] = [legacyAlias(), legacyAlias()];
    legacy.seedAlias(a, `L-${run}-4a`);
    // b is unknown to the legacy system: still its alias, still handed over.
    const id = await send([a, b]);
    expect((await outcomeOf(id)).status).toBe('processed');
    expect(legacy.handOversOf(id).map((h) => h.alias).sort()).toEqual([a, b].sort());
  });

  it('5. a conversation alias + a legacy alias of a different conversation → message AND hand-over', async () => {
    const [c, other] = [await conversationWithBob('Case 5'), await conversationWithBob('Case 5, other')];
    const alias = legacyAlias();
    legacy.seedAlias(alias, `L-${run}-5`, other.id);
    const id = await send([c.bobAlias, alias]);
    expect((await outcomeOf(id)).status).toBe('processed');
    expect(await messagesOf(c.id)).toHaveLength(1);
    expect(await messagesOf(other.id)).toEqual([]);
    expect(legacy.handOversOf(id)).toEqual([expect.objectContaining({ alias, inboundEmailId: id })]);
  });

  it('6. a conversation alias + a legacy alias migrated to that conversation → one message, no hand-over, one de-duplication', async () => {
    const c = await conversationWithBob('Case 6');
    const alias = legacyAlias();
    legacy.seedAlias(alias, `L-${run}-6`, c.id);
    const before = await dedupCount('legacy-of-routed-conversation');
    const id = await send([c.bobAlias, alias]);
    expect((await outcomeOf(id)).status).toBe('processed');
    expect(await messagesOf(c.id)).toHaveLength(1);
    expect(legacy.handOversOf(id)).toEqual([]);
    expect(legacy.callsTo('POST', '/inbound-emails').filter((call) => (call.body as { inboundEmailId?: string }).inboundEmailId === id)).toEqual([]);
    expect(await dedupCount('legacy-of-routed-conversation')).toBe(before + 1);
  });

  it('7. a sender no account knows, but the legacy system knows as the participant, is recognised through its address history', async () => {
    const c = await conversationWithBob('Case 7 legacy');
    const oldAddress = `bob.old.${run}@example.net`;
    legacy.seedPerson(oldAddress, [bobEmail]);
    const answer = await postMailgun(gateway.url, mime({ from: `Bob Stone <${oldAddress}>`, to: c.bobAlias, body: 'Writing from my old address.' }), { recipient: c.bobAlias, sender: oldAddress });
    expect(await outcomeOf(answer.body.id!)).toMatchObject({ status: 'processed' });
    expect((await messagesOf(c.id)).map((m: { body: string }) => m.body)).toEqual(['Writing from my old address.']);
    expect(legacy.callsTo('GET', /\/people\//).length).toBeGreaterThanOrEqual(1);
    // Someone neither the directory nor the legacy system knows is still bounced.
    const stranger = await postMailgun(gateway.url, mime({ from: `x.${run}@example.org`, to: c.bobAlias, body: 'Hi' }), { recipient: c.bobAlias, sender: `x.${run}@example.org` });
    expect(await outcomeOf(stranger.body.id!)).toMatchObject({ status: 'bounced', statusReason: 'unknown-sender' });
  });

  it('the legacy system answers 503 twice, then OK → the hand-over still happens, once', async () => {
    const alias = legacyAlias();
    legacy.seedAlias(alias, `L-${run}-503`);
    legacy.failNext(2, { method: 'POST', path: /^\/inbound-emails$/ });
    const id = await send([alias]);
    expect((await outcomeOf(id)).status).toBe('processed');
    expect(legacy.handOversOf(id)).toHaveLength(1);
    const attempts = legacy.callsTo('POST', '/inbound-emails').filter((call) => (call.body as { inboundEmailId?: string }).inboundEmailId === id);
    expect(attempts.map((a) => a.status)).toEqual([503, 503, 201]);
    expect(new Set(attempts.map((a) => a.headers['idempotency-key'])).size).toBe(1);
  });

  it('the legacy system stays down past the adapter\'s retries → the relay\'s consumer retries the email; handed over once, never lost', async () => {
    const alias = legacyAlias();
    legacy.seedAlias(alias, `L-${run}-down`);
    // 4 attempts by the adapter (then Unavailable), 1 more on the consumer's redelivery, then OK.
    legacy.failNext(5, { method: 'POST', path: /^\/inbound-emails$/ });
    const id = await send([alias]);
    expect((await outcomeOf(id)).status).toBe('processed');
    expect(legacy.handOversOf(id)).toHaveLength(1);
    const attempts = legacy.callsTo('POST', '/inbound-emails').filter((call) => (call.body as { inboundEmailId?: string }).inboundEmailId === id);
    expect(attempts.map((a) => a.status)).toEqual([503, 503, 503, 503, 503, 201]);
  });
});
