/**
 * Measures the conversation write path against the real servers:
 *   - sendMessage latency as a GraphQL client sees it (HTTP round trip, commit included);
 *   - commit-to-Kafka latency: from the event's commit timestamp until a consumer of
 *     conversation.events receives it (publisher wake-up, Kafka acks=all, consumer fetch).
 *
 *   npm run bench:conversations -- [--messages 500] [--concurrency 1] [--conversations 20]
 *
 * Concurrency 1 measures the system at rest; raise it to see behaviour under load.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka } from 'kafkajs';
import { ConversationEvent, Topics } from '@libs/contracts';
import { up } from '../scripts/infra';
import { AppProcess, eventually } from '../test/support/app-process';
import { appEnv, runId } from '../test/support/env';
import { TEST_JWT_SECRET, graphqlOk, tokenFor } from '../test/support/graphql';
import { formatSummary, summarize } from './stats';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { messages: { type: 'string', default: '500' }, concurrency: { type: 'string', default: '1' }, conversations: { type: 'string', default: '20' } },
  });
  const total = Number(values.messages);
  const concurrency = Number(values.concurrency);
  const conversationCount = Number(values.conversations);

  await up({ log: false });
  const gateway = await AppProcess.start('gateway', appEnv({ JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'warn' }));
  const run = runId('bench');
  const token = await tokenFor({ sub: `bench-${run}`, email: `bench.${run}@example.com` });
  const kafka = new Kafka({ brokers: appEnv().KAFKA_BROKERS!.split(','), logLevel: 0 });
  const consumer = kafka.consumer({ groupId: runId('bench-reader'), maxWaitTimeInMs: 50 });
  const ids = new Set<string>();
  const commitToKafka: number[] = [];
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));

  try {
    for (let i = 0; i < conversationCount; i++) {
      const data = await graphqlOk(gateway.url, `mutation($i: CreateConversationInput!) { createConversation(input: $i) { id } }`, { i: { subject: `bench ${i}`, participants: [{ email: `peer${i}.${run}@example.com`, displayName: `Peer ${i}` }] } }, token);
      ids.add(data.createConversation.id);
    }
    await consumer.connect();
    await consumer.subscribe({ topic: Topics.ConversationEvents, fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value!.toString()) as ConversationEvent;
        if (event.type === 'MessageAdded' && ids.has(event.conversationId)) commitToKafka.push(Date.now() - Date.parse(event.occurredAt));
      },
    });
    await eventually(async () => (joined ? true : undefined), 30_000, 'the benchmark consumer to join');

    const conversationIds = [...ids];
    const sendLatency: number[] = [];
    let next = 0;
    const started = Date.now();
    const worker = async () => {
      while (next < total) {
        const n = next++;
        const begin = performance.now();
        await graphqlOk(gateway.url, `mutation($i: SendMessageInput!) { sendMessage(input: $i) { id } }`, { i: { conversationId: conversationIds[n % conversationIds.length], body: `benchmark message ${n}`, clientMessageId: `${run}-${n}` } }, token);
        sendLatency.push(performance.now() - begin);
        if (n % 50 === 0) process.stdout.write(`\rsent ${n + 1}/${total}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (Date.now() - started) / 1000;
    await eventually(async () => (commitToKafka.length >= total ? true : undefined), 60_000, 'every event on Kafka');

    const report = {
      messages: total,
      concurrency,
      throughput: Math.round((total / seconds) * 10) / 10,
      sendMessage: summarize(sendLatency),
      commitToKafka: summarize(commitToKafka),
    };
    process.stdout.write(`\n\nconversation write path, ${total} messages, concurrency ${concurrency}, ${report.throughput} msg/s\n`);
    process.stdout.write(`${formatSummary('sendMessage (client)', report.sendMessage)}\n`);
    process.stdout.write(`${formatSummary('commit → Kafka consumer', report.commitToKafka)}\n`);
    mkdirSync(join(__dirname, '..', 'reports'), { recursive: true });
    writeFileSync(join(__dirname, '..', 'reports', 'bench-conversations.json'), JSON.stringify(report, null, 2));
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await gateway.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
