import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { bucketOf } from '@libs/legacy-bridge';
import { AppProcess, eventually, sleep } from '../support/app-process';
import { appEnv, runId } from '../support/env';
import { TEST_JWT_SECRET, graphqlOk, tokenFor } from '../support/graphql';
import { LegacySimulator } from '../support/legacy-simulator';
import { Mailbox } from '../support/mailbox';
import { DeliveryLedger, freshNotifierGroup } from '../support/notifier';

const DOMAIN = 'migrate.example.com';
const CREATE = `mutation($input: CreateConversationInput!) { createConversation(input: $input) { id } }`;
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }`;
const READ = `mutation($id: ID!) { markConversationRead(conversationId: $id) { id } }`;
const SET_ROLLOUT = `mutation($input: RolloutInput!) { setRollout(input: $input) { useCase mode percent shadow } }`;
const PARITY = `query($useCase: String!) { rolloutParity(useCase: $useCase) { useCase checked matches mismatches pending examples { messageKey missing extra } } }`;

/**
 * Suppress and parallel (DESIGN §5) end to end: the gateway (setRollout), the notifier and the
 * legacy simulator over HTTP. Who sends in each mode, a 10% rollout, a flip without restart, a
 * legacy outage, reminder cancellation in both systems, and the shadow parity report.
 */
describe('legacy bridge: suppress and parallel', () => {
  const run = runId('migrate');
  const alice = { sub: `alice-${run}`, email: `alice.${run}@example.com` };
  const admin = { sub: `ops-${run}`, email: `ops.${run}@example.com`, roles: ['admin'] };
  const mailbox = new Mailbox();
  let gateway: AppProcess;
  let notifier: AppProcess;
  let legacy: LegacySimulator;
  let ledger: DeliveryLedger;
  let aliceToken: string;
  let adminToken: string;

  beforeAll(async () => {
    ledger = await DeliveryLedger.connect();
    legacy = await LegacySimulator.start();
    const shared = { JWT_SECRET: TEST_JWT_SECRET, ALIAS_DOMAIN: DOMAIN, ROLLOUT_REFRESH_MS: '1000' };
    [gateway, notifier] = await Promise.all([
      AppProcess.start('gateway', appEnv(shared)),
      AppProcess.start(
        'notifier',
        appEnv({ ...shared, NOTIFIER_CONSUMER_GROUP: await freshNotifierGroup(), LEGACY_SYSTEM_URL: legacy.url, LEGACY_CALLS_POLL_MS: '200', LEGACY_PARITY_DELAY_MS: '1000', LOG_LEVEL: 'info' }),
      ),
    ]);
    [aliceToken, adminToken] = await Promise.all([tokenFor(alice), tokenFor(admin)]);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), notifier?.stop()]);
    await Promise.all([legacy?.stop(), ledger?.close()]);
    mkdirSync('reports', { recursive: true });
    writeFileSync(`reports/suppress-and-parallel.${run}.log`, `${gateway?.output}\n----- notifier -----\n${notifier?.output}`);
  });

  const useCase = (name: string) => `${name}-${run}`.toLowerCase();
  const setRollout = (name: string, mode: string, percent: number, shadow = false) =>
    graphqlOk(gateway.url, SET_ROLLOUT, { input: { useCase: useCase(name), mode, percent, shadow } }, adminToken);

  async function conversation(name: string, bob = `bob.${randomBytes(3).toString('hex')}.${run}@example.com`) {
    const created = await graphqlOk(gateway.url, CREATE, { input: { subject: `${name} ${run}`, useCase: useCase(name), participants: [{ email: bob, displayName: 'Bob' }] } }, aliceToken);
    return { id: created.createConversation.id as string, bob };
  }
  const send = (conversationId: string, body: string) => graphqlOk(gateway.url, SEND, { input: { conversationId, body, clientMessageId: randomBytes(6).toString('hex') } }, aliceToken);
  const emailsTo = async (address: string) => mailbox.to(address);
  const routeOf = async (conversationId: string) => (await ledger.db.collection('notification_routes').find({ conversationId }).toArray()) as unknown as { _id: string; mode: string }[];

  it('LEGACY_ONLY: the legacy system stores and notifies, the new path sends nothing; PARALLEL: suppressed there, sent here; NEW_ONLY: no legacy call', async () => {
    await setRollout('legacy', 'LEGACY_ONLY', 100);
    await setRollout('parallel', 'PARALLEL', 100);
    await setRollout('new', 'NEW_ONLY', 100);
    await sleep(1_500);
    const [l, p, n] = await Promise.all([conversation('legacy'), conversation('parallel'), conversation('new')]);
    await Promise.all([send(l.id, 'legacy only'), send(p.id, 'in parallel'), send(n.id, 'new only')]);

    // PARALLEL: the legacy system stores it with suppressNotification: true, the new path emails Bob.
    await eventually(async () => ((await emailsTo(p.bob)).length === 1 ? true : undefined), 20_000, 'the new path email in PARALLEL');
    const parallel = await eventually(async () => legacy.messagesOf(p.id)[0], 20_000, 'the legacy post in PARALLEL');
    expect(parallel.suppressNotification).toBe(true);
    expect(parallel.idempotencyKey).toBe(`${p.id}:2`);
    expect(legacy.notificationsFor(parallel.idempotencyKey)).toEqual([]);
    // NEW_ONLY: the new path emails, no legacy call.
    await eventually(async () => ((await emailsTo(n.bob)).length === 1 ? true : undefined), 20_000, 'the new path email in NEW_ONLY');
    // LEGACY_ONLY: the legacy system notifies Bob itself, the new path stays silent.
    const legacyOnly = await eventually(async () => legacy.messagesOf(l.id)[0], 20_000, 'the legacy post in LEGACY_ONLY');
    expect(legacyOnly).toMatchObject({ suppressNotification: false, subject: `legacy ${run}`, message: { body: 'legacy only', authorEmail: alice.email } });
    expect(legacy.notificationsFor(legacyOnly.idempotencyKey).map((x) => x.recipient)).toEqual([l.bob]);
    await sleep(1_500);
    expect(legacy.messagesOf(n.id)).toEqual([]);
    expect(await emailsTo(l.bob)).toEqual([]);
    expect(await ledger.of(l.id)).toEqual([]);
    expect((await routeOf(l.id)).map((r) => r.mode)).toEqual(['LEGACY_ONLY']);
  });

  it('a 10% rollout takes about 10% of 1,000 conversations to the new path, and a conversation always the same way', async () => {
    await setRollout('ten', 'NEW_ONLY', 10);
    await sleep(1_500);
    const ids: string[] = [];
    for (let i = 0; i < 1000; i += 20) {
      const batch = await Promise.all(Array.from({ length: 20 }, () => graphqlOk(gateway.url, CREATE, { input: { subject: `ten ${run}`, useCase: useCase('ten'), participants: [{ email: `p.${run}@example.com`, displayName: 'P' }] } }, aliceToken)));
      ids.push(...batch.map((b) => b.createConversation.id as string));
      await Promise.all(batch.map((b) => send(b.createConversation.id, 'hello')));
    }
    const routes = await eventually(async () => {
      const docs = (await ledger.db.collection('notification_routes').find({ useCase: useCase('ten') }).toArray()) as unknown as { conversationId: string; mode: string }[];
      return docs.length >= 1000 ? docs : undefined;
    }, 180_000, '1,000 routing decisions');
    const toNew = routes.filter((r) => r.mode === 'NEW_ONLY');
    process.stdout.write(`10% rollout: ${toNew.length} of 1000 conversations on the new path\n`);
    expect(toNew.length).toBeGreaterThanOrEqual(70);
    expect(toNew.length).toBeLessThanOrEqual(130);
    // Deterministic: the bucket decides, the same for every message of a conversation.
    for (const r of routes) expect(r.mode).toBe(bucketOf(r.conversationId) < 10 ? 'NEW_ONLY' : 'LEGACY_ONLY');
    const sample = toNew.slice(0, 5).map((r) => r.conversationId).concat(routes.filter((r) => r.mode !== 'NEW_ONLY').slice(0, 5).map((r) => r.conversationId));
    await Promise.all(sample.map((id) => send(id, 'again')));
    await eventually(async () => ((await Promise.all(sample.map(routeOf))).every((list) => list.length === 2) ? true : undefined), 30_000, 'second messages routed');
    for (const id of sample) expect(new Set((await routeOf(id)).map((r) => r.mode)).size).toBe(1);
  }, 300_000);

  it('flipping PARALLEL to LEGACY_ONLY takes effect within 5 s without a restart, and no message is notified by both systems', async () => {
    await setRollout('flip', 'PARALLEL', 100);
    await sleep(1_500);
    const c = await conversation('flip');
    await send(c.id, 'before the flip');
    await eventually(async () => ((await emailsTo(c.bob)).length === 1 ? true : undefined), 20_000, 'the PARALLEL email');

    const flippedAt = Date.now();
    await setRollout('flip', 'LEGACY_ONLY', 100);
    let effectiveAfter = -1;
    for (let i = 0; i < 20 && effectiveAfter < 0; i++) {
      const sentAt = Date.now();
      await send(c.id, `probe ${i}`);
      const routes = await eventually(async () => {
        const list = await routeOf(c.id);
        return list.length === i + 2 ? list : undefined;
      }, 20_000, `probe ${i} routed`);
      if (routes.some((r) => r.mode === 'LEGACY_ONLY')) effectiveAfter = sentAt - flippedAt;
      else await sleep(500);
    }
    process.stdout.write(`rollout flip effective after ${effectiveAfter} ms\n`);
    expect(effectiveAfter).toBeGreaterThanOrEqual(0);
    expect(effectiveAfter).toBeLessThan(5_000);

    // Every message notified by exactly one system: ours (email) or the legacy system's.
    await sleep(2_000);
    const routes = await routeOf(c.id);
    const ourEmails = (await emailsTo(c.bob)).length;
    const theirs = legacy.sentNotifications.filter((x) => x.conversationId === c.id).length;
    expect(ourEmails + theirs).toBe(routes.length);
    expect(ourEmails).toBe(routes.filter((r) => r.mode === 'PARALLEL').length);
    for (const m of legacy.messagesOf(c.id)) expect(m.suppressNotification).toBe(routes.find((r) => r._id === m.idempotencyKey)?.mode === 'PARALLEL');
  });

  it('a read ends the reminders in both systems while both are live', async () => {
    await setRollout('reminders', 'PARALLEL', 100);
    await sleep(1_500);
    const c = await conversation('reminders');
    await send(c.id, 'please read');
    await eventually(async () => ((await emailsTo(c.bob)).length === 1 ? true : undefined), 20_000, 'the email');
    await eventually(async () => ((await ledger.db.collection('reminders').findOne({ conversationId: c.id, active: true })) ? true : undefined), 10_000, 'a reminder cycle');
    await graphqlOk(gateway.url, READ, { id: c.id }, await tokenFor({ sub: `bob-${run}`, email: c.bob }));
    const cancellation = await eventually(async () => legacy.reminderCancellations.find((r) => r.conversationId === c.id && r.reason === 'read'), 20_000, 'the legacy reminder cancellation');
    expect(cancellation).toMatchObject({ participantEmail: c.bob, reason: 'read', idempotencyKey: expect.stringMatching(new RegExp(`^${c.id}:\\d+:read$`)) });
    // Alice's own message was a reply: her reminders there end too.
    expect(legacy.reminderCancellations.filter((r) => r.conversationId === c.id && r.reason === 'reply').map((r) => r.participantEmail)).toEqual([alice.email]);
    expect(await ledger.db.collection('reminders').findOne({ conversationId: c.id, active: true })).toBeNull();
  });

  it('with the legacy system down for a minute, new-path deliveries are not delayed and the legacy calls catch up', async () => {
    await setRollout('outage', 'PARALLEL', 100);
    await sleep(1_500);
    const c = await conversation('outage');
    legacy.down();
    const latencies: number[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const before = (await emailsTo(c.bob)).length;
        const started = Date.now();
        await send(c.id, `during the outage ${i}`);
        await eventually(async () => ((await emailsTo(c.bob)).length > before ? true : undefined), 20_000, `email ${i} during the outage`);
        latencies.push(Date.now() - started);
        await sleep(11_000);
      }
      expect(legacy.messagesOf(c.id)).toEqual([]);
    } finally {
      legacy.up();
    }
    process.stdout.write(`new-path email during a legacy outage: ${latencies.join(', ')} ms\n`);
    for (const ms of latencies) expect(ms).toBeLessThan(5_000);
    await eventually(async () => (legacy.messagesOf(c.id).length === 5 ? true : undefined), 90_000, 'the five legacy posts after recovery');
    expect(legacy.messagesOf(c.id).every((m) => m.suppressNotification)).toBe(true);
  }, 180_000);

  it('the operator CLI sets and rolls back a rollout that the running apps pick up', async () => {
    const cli = (...args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/rollout.ts', ...args], { env: appEnv(), cwd: process.cwd() });
    const set = await cli('set', useCase('cli'), 'PARALLEL', '25');
    expect(set.stdout).toContain('PARALLEL');
    const ROLLOUTS = `query { rollouts { useCase mode percent } }`;
    const listed = async () => (await graphqlOk(gateway.url, ROLLOUTS, {}, adminToken)).rollouts.find((r: { useCase: string }) => r.useCase === useCase('cli'));
    expect(await listed()).toEqual({ useCase: useCase('cli'), mode: 'PARALLEL', percent: 25 });
    await cli('rollback', useCase('cli'));
    expect(await listed()).toEqual({ useCase: useCase('cli'), mode: 'LEGACY_ONLY', percent: 25 });
    await expect(cli('set', useCase('cli'), 'SOMETIMES', '5')).rejects.toMatchObject({ code: 64 });
  });

  it('shadow mode: the parity report counts matches, and mismatches with examples when the legacy system diverges', async () => {
    await setRollout('shadow', 'LEGACY_ONLY', 100, true);
    await sleep(1_500);
    const same = await conversation('shadow');
    await send(same.id, 'compare me');
    await eventually(async () => ((await graphqlOk(gateway.url, PARITY, { useCase: useCase('shadow') }, adminToken)).rolloutParity.matches === 1 ? true : undefined), 30_000, 'one match');

    const differs = await conversation('shadow');
    legacy.diverge({ skipRecipient: differs.bob, extraRecipient: `someone.${run}@example.com` });
    try {
      await send(differs.id, 'compare me too');
      const report = await eventually(async () => {
        const r = (await graphqlOk(gateway.url, PARITY, { useCase: useCase('shadow') }, adminToken)).rolloutParity;
        return r.mismatches === 1 ? r : undefined;
      }, 30_000, 'one mismatch');
      expect(report).toMatchObject({ useCase: useCase('shadow'), checked: 2, matches: 1, mismatches: 1 });
      expect(report.examples[0]).toEqual({ messageKey: `${differs.id}:2`, missing: [`email:someone.${run}@example.com`], extra: [`email:${differs.bob}`] });
    } finally {
      legacy.diverge(null);
    }
    // The new path sent nothing in shadow; the parity shows in the notifier's metrics too.
    expect(await emailsTo(differs.bob)).toEqual([]);
    const metrics = await (await fetch(`${notifier.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`legacy_parity_total\\{[^}]*use_case="${useCase('shadow')}"[^}]*result="mismatch"[^}]*\\} 1`));
  });
});
