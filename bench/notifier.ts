/**
 * Notification latency at rest against the real servers: from a chat message (its event time,
 * the moment it was committed) to the SMTP server accepting the notification email, taken from
 * each delivery's own timestamps (eventAt, sentAt) and cross-checked against the SMTP server's
 * receipt time.
 *
 *   npm run bench:notifier -- [--messages 300] [--conversations 20] [--interval-ms 50]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { up } from '../scripts/infra';
import { AppProcess, eventually, sleep } from '../test/support/app-process';
import { appEnv, runId } from '../test/support/env';
import { TEST_JWT_SECRET, graphqlOk, tokenFor } from '../test/support/graphql';
import { Mailbox } from '../test/support/mailbox';
import { DeliveryLedger, freshNotifierGroup } from '../test/support/notifier';
import { formatSummary, summarize } from './stats';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { messages: { type: 'string', default: '300' }, conversations: { type: 'string', default: '20' }, 'interval-ms': { type: 'string', default: '50' } },
  });
  const total = Number(values.messages);
  const interval = Number(values['interval-ms']);
  await up({ log: false });
  const env = appEnv({ JWT_SECRET: TEST_JWT_SECRET, ALIAS_DOMAIN: 'notify.example.com', LOG_LEVEL: 'warn' });
  const [gateway, notifier] = await Promise.all([
    AppProcess.start('gateway', env),
    AppProcess.start('notifier', { ...env, NOTIFIER_CONSUMER_GROUP: await freshNotifierGroup('bench-notifier') }),
  ]);
  const ledger = await DeliveryLedger.connect();
  try {
    const run = runId('bench-notifier');
    const alice = await tokenFor({ sub: `alice-${run}`, email: `alice.${run}@example.com` });
    const conversations: string[] = [];
    for (let i = 0; i < Number(values.conversations); i++) {
      const { createConversation } = await graphqlOk(gateway.url, `mutation($i: CreateConversationInput!) { createConversation(input: $i) { id } }`, { i: { subject: `bench ${run} ${i}`, participants: [{ email: `bob${i}.${run}@example.com`, displayName: `Bob ${i}` }] } }, alice);
      conversations.push(createConversation.id);
    }
    for (let n = 0; n < total; n++) {
      await graphqlOk(gateway.url, `mutation($i: SendMessageInput!) { sendMessage(input: $i) { id } }`, { i: { conversationId: conversations[n % conversations.length], body: `Message ${n}: are you free on Thursday?`, clientMessageId: `b${n}` } }, alice);
      if (n % 25 === 0) process.stdout.write(`\rsent ${n + 1}/${total}`);
      await sleep(interval);
    }
    const deliveries = await eventually(async () => {
      const docs = (await ledger.ofMany(conversations)).filter((d) => d.channel === 'email');
      return docs.length === total && docs.every((d) => d.state === 'sent') ? docs : undefined;
    }, 180_000, 'every notification sent');
    const accepted = deliveries.map((d) => new Date(d.sentAt!).getTime() - new Date(d.eventAt).getTime());
    const received = new Map((await new Mailbox().messages()).map((m) => [m.MessageID, m]));
    const atServer = deliveries
      .map((d) => {
        const mail = received.get(`n.${d._id}@notify.example.com`) as { Created?: string } | undefined;
        return mail?.Created ? new Date(mail.Created).getTime() - new Date(d.eventAt).getTime() : null;
      })
      .filter((v): v is number => v !== null);
    const report = { messages: total, intervalMs: interval, eventToSmtpAccepted: summarize(accepted), eventToSmtpServerReceipt: summarize(atServer) };
    process.stdout.write(`\n\nnotification latency at rest, ${total} messages, one every ~${interval} ms\n`);
    process.stdout.write(`${formatSummary('event → SMTP accepted', report.eventToSmtpAccepted)}\n`);
    process.stdout.write(`${formatSummary('event → SMTP server receipt', report.eventToSmtpServerReceipt)}\n`);
    mkdirSync(join(__dirname, '..', 'reports'), { recursive: true });
    writeFileSync(join(__dirname, '..', 'reports', 'bench-notifier.json'), JSON.stringify(report, null, 2));
  } finally {
    await ledger.close();
    await Promise.all([gateway.stop(), notifier.stop()]);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
