/**
 * Measures the inbound path at rest against the real servers:
 *   - ingress: the Mailgun webhook's answer (raw stored in S3 and queued on Kafka);
 *   - relay: from the ingress acknowledgement until the relay recorded its outcome (message
 *     stored in its conversation), from the inbound record's own timestamps.
 *
 *   npm run bench:relay -- [--emails 300] [--conversations 20] [--interval-ms 50]
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { up } from '../scripts/infra';
import { AppProcess, eventually, sleep } from '../test/support/app-process';
import { appEnv, runId } from '../test/support/env';
import { TEST_JWT_SECRET, graphqlOk, tokenFor } from '../test/support/graphql';
import { TEST_MAILGUN_SIGNING_KEY, postMailgun } from '../test/support/mailgun';
import { formatSummary, summarize } from './stats';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { emails: { type: 'string', default: '300' }, conversations: { type: 'string', default: '20' }, 'interval-ms': { type: 'string', default: '50' } },
  });
  const total = Number(values.emails);
  const interval = Number(values['interval-ms']);
  await up({ log: false });
  const env = appEnv({ JWT_SECRET: TEST_JWT_SECRET, MAILGUN_SIGNING_KEY: TEST_MAILGUN_SIGNING_KEY, ALIAS_DOMAIN: 'relay.example.com', LOG_LEVEL: 'warn' });
  const [gateway, relay] = await Promise.all([AppProcess.start('gateway', env), AppProcess.start('relay', env)]);
  const mongo = await MongoClient.connect(env.MONGO_URL!);
  try {
    const run = runId('bench-relay');
    const bob = `bob.${run}@example.com`;
    const alice = await tokenFor({ sub: `alice-${run}`, email: `alice.${run}@example.com` });
    const bobToken = await tokenFor({ sub: `bob-${run}`, email: bob });
    const aliases: string[] = [];
    for (let i = 0; i < Number(values.conversations); i++) {
      const { createConversation } = await graphqlOk(gateway.url, `mutation($i: CreateConversationInput!) { createConversation(input: $i) { id } }`, { i: { subject: `bench ${i}`, participants: [{ email: bob, displayName: 'Bob' }] } }, alice);
      aliases.push((await graphqlOk(gateway.url, `query($id: ID!) { conversation(id: $id) { myAlias } }`, { id: createConversation.id }, bobToken)).conversation.myAlias);
    }
    const ingress: number[] = [];
    const ids: string[] = [];
    for (let n = 0; n < total; n++) {
      const alias = aliases[n % aliases.length];
      const raw = [
        `From: Bob <${bob}>`, `To: ${alias}`, 'Subject: Re: your application', `Date: ${new Date().toUTCString()}`,
        `Message-ID: <${run}-${n}-${randomBytes(4).toString('hex')}@mail.example.com>`, 'Content-Type: text/plain; charset=UTF-8', '',
        `Thanks, Thursday works (${n}).`, '', 'On Mon, 2 Mar 2026 at 09:12, Alice <x@relay.example.com> wrote:', '> Would Thursday work?',
      ].join('\r\n');
      const started = performance.now();
      const answer = await postMailgun(gateway.url, raw, { recipient: alias, sender: bob });
      ingress.push(performance.now() - started);
      if (answer.status !== 202 || !answer.body.id) throw new Error(`ingress answered ${answer.status}`);
      ids.push(answer.body.id);
      if (n % 25 === 0) process.stdout.write(`\rposted ${n + 1}/${total}`);
      await sleep(interval);
    }
    const records = await eventually(async () => {
      const docs = await mongo.db().collection('inbound_emails').find({ _id: { $in: ids as never[] } }).toArray();
      return docs.length === total && docs.every((d) => d.status === 'processed') ? docs : undefined;
    }, 120_000, 'every email processed');
    const relayLatency = records.map((d) => new Date(d.statusChangedAt as Date).getTime() - new Date((d.queuedAt ?? d.receivedAt) as Date).getTime());
    const report = { emails: total, intervalMs: interval, ingress: summarize(ingress), relay: summarize(relayLatency) };
    process.stdout.write(`\n\ninbound path at rest, ${total} emails, one every ~${interval} ms\n`);
    process.stdout.write(`${formatSummary('ingress (webhook answer)', report.ingress)}\n`);
    process.stdout.write(`${formatSummary('relay (queued → stored)', report.relay)}\n`);
    mkdirSync(join(__dirname, '..', 'reports'), { recursive: true });
    writeFileSync(join(__dirname, '..', 'reports', 'bench-relay.json'), JSON.stringify(report, null, 2));
  } finally {
    await mongo.close();
    await Promise.all([gateway.stop(), relay.stop()]);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
