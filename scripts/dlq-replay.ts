/**
 * Operator command: replays a dead-letter topic into its source topic once the cause of the
 * failures is fixed.
 *
 *   npm run dlq:replay -- inbound-email.received [--limit 100]
 *   npm run dlq:replay -- conversation.events.dlq
 *
 * Uses KAFKA_BROKERS (default 127.0.0.1:9092 outside production). Progress is committed per
 * message, so an interrupted replay can simply be run again.
 */
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@libs/config';
import { createKafkaClient, replayDeadLetters } from '@libs/kafka';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { limit: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals.length !== 1) {
    process.stderr.write('usage: npm run dlq:replay -- <topic or topic.dlq> [--limit N]\n');
    process.exit(values.help ? 0 : 64);
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0)) {
    process.stderr.write(`--limit must be a positive whole number, got "${values.limit}"\n`);
    process.exit(64);
  }
  const config = loadConfigOrExit(process.env, { service: 'dlq-replay', sections: ['kafka'] });
  const kafka = createKafkaClient(config);
  const result = await replayDeadLetters(kafka, {
    topic: positionals[0],
    limit,
    onProgress: (done, total) => process.stdout.write(`\rreplayed ${done}/${total}`),
  });
  process.stdout.write(`\n${result.replayed} message(s) moved from ${result.deadLetterTopic} to ${result.targetTopic}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`dlq:replay failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
