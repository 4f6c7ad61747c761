/**
 * Chaos under steady load (docs/chaos.md): emails posted to the gateway at a steady rate while
 * the apps are SIGKILLed, Kafka and the database restarted and S3 frozen at seeded random
 * moments; then every acknowledged email must be in its conversation exactly once and every
 * notification sent. Exits 1 when anything is lost.
 *
 *   npm run chaos -- [--rate 8] [--duration 180] [--faults 9] [--seed N] [--conversations 30]
 *                    [--kinds kill-relay,restart-kafka,...] [--drain-timeout 180]
 */
import { parseArgs } from 'node:util';
import { resumeService, up } from '../scripts/infra';
import { runChaos } from './chaos/engine';
import { FAULT_KINDS, isFaultKind, randomSeed, type FaultKind } from './chaos/schedule';

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got "${value}"`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '8' },
      duration: { type: 'string', default: '180' },
      faults: { type: 'string', default: '9' },
      seed: { type: 'string' },
      conversations: { type: 'string', default: '30' },
      kinds: { type: 'string', default: FAULT_KINDS.join(',') },
      'drain-timeout': { type: 'string', default: '180' },
      warmup: { type: 'string', default: '10' },
      tail: { type: 'string', default: '10' },
    },
  });
  const kinds = values.kinds!.split(',').map((k) => k.trim());
  const unknown = kinds.filter((k) => !isFaultKind(k));
  if (unknown.length > 0) throw new Error(`unknown fault kind(s) ${unknown.join(', ')}; known: ${FAULT_KINDS.join(', ')}`);
  const result = await runChaos({
    seed: values.seed === undefined ? randomSeed() : Math.floor(Number(values.seed)),
    rate: positive('rate', values.rate),
    durationS: positive('duration', values.duration),
    faults: Math.floor(positive('faults', values.faults)),
    conversations: Math.floor(positive('conversations', values.conversations)),
    kinds: kinds as FaultKind[],
    drainTimeoutS: positive('drain-timeout', values['drain-timeout']),
    warmupS: Number(values.warmup),
    tailS: Number(values.tail),
  });
  process.stdout.write(`\n${result.table}\n\nreport: ${result.reportFile}\n`);
  return result.report.counts.ok ? 0 : 1;
}

// Ctrl-C mid-run: give back a paused S3 and any stopped server before leaving (the apps are
// killed on exit by the fleet).
process.once('SIGINT', () => {
  process.stderr.write('\ninterrupted: resuming S3 and starting any stopped server…\n');
  void resumeService('s3')
    .catch(() => undefined)
    .then(() => up())
    .catch((error: unknown) => process.stderr.write(`could not restore the servers: ${String(error)}\n`))
    .finally(() => process.exit(130));
});

// The SDK's Node 20 deprecation notice says nothing about the run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`chaos run failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(2);
  },
);
