import { randomBytes } from 'node:crypto';
import { AppProcess, eventually, sleep } from '../support/app-process';
import { appEnv, runId } from '../support/env';
import { TEST_JWT_SECRET, graphqlOk, tokenFor } from '../support/graphql';
import { TEST_MAILGUN_SIGNING_KEY, postMailgun } from '../support/mailgun';

const EMAILS = 500;
const CONVERSATIONS = 10;

/**
 * The relay is SIGKILLed twice at random moments during a stream of 500 emails; after it
 * restarts, every acknowledged email is in its conversation exactly once.
 */
describe('relay crash during a stream of emails', () => {
  const run = runId('relay-crash');
  const alice = { sub: `alice-${run}`, email: `alice.${run}@example.com` };
  const bobEmail = `bob.${run}@example.com`;
  const env = () => appEnv({ JWT_SECRET: TEST_JWT_SECRET, MAILGUN_SIGNING_KEY: TEST_MAILGUN_SIGNING_KEY, ALIAS_DOMAIN: 'relay.example.com' });
  let gateway: AppProcess;
  let relay: AppProcess;

  afterAll(async () => {
    await Promise.all([gateway?.stop(), relay?.stop()]);
  });

  it('adds all 500 emails exactly once', async () => {
    [gateway, relay] = await Promise.all([AppProcess.start('gateway', env()), AppProcess.start('relay', env())]);
    const aliceToken = await tokenFor(alice);
    const bobToken = await tokenFor({ sub: `bob-${run}`, email: bobEmail });
    const conversations: { id: string; bobAlias: string }[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) {
      const { createConversation } = await graphqlOk(gateway.url, `mutation($i: CreateConversationInput!) { createConversation(input: $i) { id } }`, { i: { subject: `crash ${i}`, participants: [{ email: bobEmail, displayName: 'Bob' }] } }, aliceToken);
      const { conversation } = await graphqlOk(gateway.url, `query($id: ID!) { conversation(id: $id) { myAlias } }`, { id: createConversation.id }, bobToken);
      conversations.push({ id: createConversation.id, bobAlias: conversation.myAlias });
    }

    const killAt = new Set([100 + Math.floor(Math.random() * 150), 300 + Math.floor(Math.random() * 150)]);
    let kills = 0;
    let accepted = 0;
    for (let n = 0; n < EMAILS; n++) {
      const target = conversations[n % CONVERSATIONS];
      const raw = [`From: ${bobEmail}`, `To: ${target.bobAlias}`, `Subject: Re: crash`, `Date: ${new Date().toUTCString()}`, `Message-ID: <${run}-${n}-${randomBytes(4).toString('hex')}@mail.example.com>`, 'Content-Type: text/plain; charset=UTF-8', '', `email number ${n}`].join('\r\n');
      const answer = await postMailgun(gateway.url, raw, { recipient: target.bobAlias, sender: bobEmail });
      if (answer.status === 202) accepted++;
      if (killAt.has(n)) {
        await relay.stop('SIGKILL');
        kills++;
        relay = await AppProcess.start('relay', env());
      }
    }
    expect(kills).toBe(2);
    expect(accepted).toBe(EMAILS);

    const bodiesOf = async (id: string): Promise<string[]> => {
      const bodies: string[] = [];
      let after: string | null = null;
      for (;;) {
        const data: any = await graphqlOk(gateway.url, `query($id: ID!, $after: String) { conversation(id: $id) { messages(first: 100, after: $after) { edges { node { body } } pageInfo { hasNextPage endCursor } } } }`, { id, after }, aliceToken);
        bodies.push(...data.conversation.messages.edges.map((e: { node: { body: string } }) => e.node.body));
        if (!data.conversation.messages.pageInfo.hasNextPage) return bodies;
        after = data.conversation.messages.pageInfo.endCursor;
      }
    };
    const all = await eventually(
      async () => {
        const bodies = (await Promise.all(conversations.map((c) => bodiesOf(c.id)))).flat();
        return bodies.length >= EMAILS ? bodies : undefined;
      },
      120_000,
      `all ${EMAILS} emails in their conversations`,
    );
    await sleep(2_000);
    const final = (await Promise.all(conversations.map((c) => bodiesOf(c.id)))).flat();
    expect(final).toHaveLength(EMAILS);
    expect(new Set(final).size).toBe(EMAILS);
    expect(all.length).toBe(EMAILS);
    for (let c = 0; c < CONVERSATIONS; c++) {
      const bodies = await bodiesOf(conversations[c].id);
      expect(bodies.every((b) => Number(b.split(' ').pop()) % CONVERSATIONS === c)).toBe(true);
    }
  }, 300_000);
});
