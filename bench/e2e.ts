/**
 * End-to-end load against the real servers and the three built apps (docs/performance.md):
 * realistic emails posted to the Mailgun webhook open-loop at a target rate; ingress, relay and
 * end-to-end latency, throughput, errors, lost and duplicated messages and notifications, each
 * email checked; and, in the same run, a baseline of the bare minimum per email with raw clients.
 *
 *   npm run bench -- [--rate 230] [--duration 60] [--out reports/x.json] [--no-baseline]
 *   npm run bench -- --find-max [--start-rate 100] [--factor 1.5] [--step-duration 20] [--max-steps 8]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { Topics } from '@libs/contracts';
import { status, up } from '../scripts/infra';
import { AppProcess } from '../test/support/app-process';
import { appEnv, runId } from '../test/support/env';
import { TEST_MAILGUN_SIGNING_KEY } from '../test/support/mailgun';
import { freshNotifierGroup } from '../test/support/notifier';
import { runBaseline } from './load/baseline';
import { generateEmail, tokenPattern } from './load/email-generator';
import { DEFAULT_FIND_MAX, FindMaxOptions, maxHeld, nextRate, Trial } from './load/find-max';
import { renderHtml } from './load/html-report';
import { MailgunIngressClient } from './load/ingress-client';
import { moveGroupToEnd } from './load/kafka-groups';
import { LoadTarget, runLoadStep, StepOptions, StepProgress } from './load/load-run';
import { seededRandom } from './load/random';
import { BaselineReport, BenchReport, StepReport } from './load/report-types';
import { createScenario, emailOnlyShare, TEST_JWT_SECRET } from './load/scenario';
import { SmtpRecorder } from './load/smtp-recorder';
import { StoredWatcher } from './load/stored-watcher';
import { progressLine, textSummary } from './load/text-summary';

const ROOT = join(__dirname, '..');
const RELAY_CONSUMER_GROUP = 'relay';

function number(name: string, value: string | undefined, min = 0): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, got "${value}"`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '230' },
      duration: { type: 'string', default: '60' },
      out: { type: 'string' },
      'find-max': { type: 'boolean', default: false },
      'start-rate': { type: 'string', default: String(DEFAULT_FIND_MAX.start) },
      factor: { type: 'string', default: String(DEFAULT_FIND_MAX.factor) },
      'step-duration': { type: 'string', default: '20' },
      'max-steps': { type: 'string', default: '8' },
      precision: { type: 'string', default: String(DEFAULT_FIND_MAX.precision) },
      conversations: { type: 'string', default: '200' },
      'email-only-share': { type: 'string', default: '0.6' },
      'no-baseline': { type: 'boolean', default: false },
      'baseline-duration': { type: 'string', default: '15' },
      'baseline-concurrency': { type: 'string', default: '32' },
      'max-in-flight': { type: 'string', default: '2000' },
      'drain-timeout': { type: 'string', default: '60' },
      'request-timeout': { type: 'string', default: '30' },
      warmup: { type: 'string', default: '8' },
      seed: { type: 'string' },
    },
  });
  const findMax = values['find-max']!;
  const seed = values.seed === undefined ? randomBytes(4).readUInt32BE() : number('seed', values.seed);
  const settings = {
    rate: number('rate', values.rate, 0.1),
    durationS: number('duration', values.duration, 1),
    findMax,
    stepDurationS: number('step-duration', values['step-duration'], 1),
    conversations: Math.floor(number('conversations', values.conversations, 1)),
    emailOnlyShare: number('email-only-share', values['email-only-share']),
    baseline: !values['no-baseline'],
    baselineDurationS: number('baseline-duration', values['baseline-duration'], 1),
    baselineConcurrency: Math.floor(number('baseline-concurrency', values['baseline-concurrency'], 1)),
    maxInFlight: Math.floor(number('max-in-flight', values['max-in-flight'], 1)),
    drainTimeoutS: number('drain-timeout', values['drain-timeout'], 1),
    requestTimeoutS: number('request-timeout', values['request-timeout'], 1),
    warmupS: number('warmup', values.warmup),
    seed,
    slo: { e2eP99Ms: 1000, maxErrorShare: 0.001 },
  };
  const search: FindMaxOptions = {
    ...DEFAULT_FIND_MAX,
    start: number('start-rate', values['start-rate'], 1),
    factor: number('factor', values.factor, 1.01),
    maxSteps: Math.floor(number('max-steps', values['max-steps'], 1)),
    precision: number('precision', values.precision, 0.001),
  };
  const timestamp = new Date().toISOString();
  const jsonPath = resolve(values.out ?? join(ROOT, 'reports', `bench-${timestamp.replace(/[:.]/g, '-')}.json`));
  const htmlPath = jsonPath.replace(/\.json$/, '') + '.html';

  const tty = process.stdout.isTTY === true;
  let lastPrinted = 0;
  const say = (line: string) => process.stdout.write(`${tty ? '\r\x1b[2K' : ''}${line}\n`);
  const onProgress = (p: StepProgress) => {
    const line = progressLine(p);
    if (tty) process.stdout.write(`\r\x1b[2K${line.slice(0, (process.stdout.columns ?? 200) - 1)}`);
    else if (Date.now() - lastPrinted >= 5000) {
      lastPrinted = Date.now();
      process.stdout.write(`${line}\n`);
    }
  };

  const abort = new AbortController();
  process.once('SIGINT', () => {
    say('interrupted: stopping after the current step');
    abort.abort();
  });

  const run = runId('bench');
  const tag = randomBytes(4).toString('hex').replace(/^\d/, 'b').slice(0, 6);
  const random = seededRandom(seed);
  say(`bench ${run} (tag ${tag}, seed ${seed}): starting the servers`);
  await up({ log: false });
  const recorder = await SmtpRecorder.start({ tokenPattern: tokenPattern(tag) });
  const env = appEnv({
    JWT_SECRET: TEST_JWT_SECRET,
    MAILGUN_SIGNING_KEY: TEST_MAILGUN_SIGNING_KEY,
    ALIAS_DOMAIN: 'relay.example.com',
    SMTP_URL: recorder.url,
    LOG_LEVEL: 'warn',
  });
  const brokers = env.KAFKA_BROKERS!.split(',');

  let baseline: BaselineReport | null = null;
  if (settings.baseline) {
    say(`baseline: raw clients, ${settings.baselineConcurrency} emails in flight, ${settings.baselineDurationS} s`);
    const fake = { id: 'baseline', subject: 'Baseline', participants: [
      { id: 'a', email: 'a@candidate.example', displayName: 'Ann Lee', alias: 'ann@relay.example.com', accountId: null },
      { id: 'b', email: 'b@employer.example', displayName: 'Bo Chen', alias: 'bo@relay.example.com', accountId: 'acc-b' },
    ] };
    baseline = await runBaseline({
      env,
      smtpUrl: recorder.url,
      durationMs: settings.baselineDurationS * 1000,
      concurrency: settings.baselineConcurrency,
      warmupMs: 3000,
      run,
      email: (n) => {
        const email = generateEmail(fake, `baseline-${n}`, random);
        return { raw: email.raw, to: email.notify[0] };
      },
    });
    const st = baseline.stages;
    say(`baseline: ${baseline.throughput} emails/s (p50 ${baseline.latency.p50} ms, p99 ${baseline.latency.p99} ms; p50 S3 put ${st.s3Put.p50}, produce ${st.produce.p50}, queue ${st.queue.p50}, insert ${st.insert.p50}, SMTP ${st.smtp.p50} ms)`);
  }

  try {
    await moveGroupToEnd(brokers, RELAY_CONSUMER_GROUP, Topics.InboundEmailReceived);
  } catch (error) {
    say(`note: could not move the relay's consumer group to the end of ${Topics.InboundEmailReceived} (${error instanceof Error ? error.message : String(error)}); emails left by earlier runs are relayed first`);
  }
  say('starting gateway, relay and notifier');
  const notifierGroup = await freshNotifierGroup('bench-notifier');
  const apps = await Promise.all([
    AppProcess.start('gateway', env),
    AppProcess.start('relay', env),
    // The deliveries-by-state gauge is an index count on MongoDB; the local server scans the whole
    // deliveries collection for it and holds that collection meanwhile, which is not what
    // production pays, so the measured apps run without it (chaos and the e2e suites keep it).
    AppProcess.start('notifier', { ...env, NOTIFIER_CONSUMER_GROUP: notifierGroup, NOTIFIER_DELIVERY_METRICS_MS: '0' }),
  ]);
  const [gateway, relay, notifier] = apps;
  const mongo = await MongoClient.connect(env.MONGO_URL!);
  const ingress = new MailgunIngressClient(gateway.url, TEST_MAILGUN_SIGNING_KEY, { maxSockets: settings.maxInFlight, timeoutMs: settings.requestTimeoutS * 1000 });
  let watcher: StoredWatcher | undefined;
  const steps: StepReport[] = [];
  const trials: (Trial & { reasons: string[] })[] = [];
  try {
    say(`creating ${settings.conversations} conversations`);
    const scenario = await createScenario({
      gatewayUrl: gateway.url,
      db: mongo.db(),
      run,
      conversations: settings.conversations,
      participants: [2, 3],
      emailOnlyShare: settings.emailOnlyShare,
      creators: Math.max(1, Math.ceil(settings.conversations / 4)),
      random,
    });
    const seats = scenario.conversations.reduce((n, c) => n + c.participants.length, 0);
    say(`${scenario.conversations.length} conversations, ${seats} participants, ${(emailOnlyShare(scenario) * 100).toFixed(0)}% email-only`);
    watcher = new StoredWatcher(brokers, new Set(scenario.conversations.map((c) => c.id)), tokenPattern(tag), runId('bench-watch'));
    await watcher.start();
    const servers = await status();
    const pids = () => {
      const out: Record<string, number> = { bench: process.pid, gateway: gateway.child.pid!, relay: relay.child.pid!, notifier: notifier.child.pid! };
      for (const s of servers) {
        if (s.pid && s.service !== 'smtp') out[s.service] = s.pid;
        if (s.backend?.pid) out[`${s.service}:${s.backend.name}`] = s.backend.pid;
      }
      return out;
    };
    const target: LoadTarget = { scenario, tag, ingress, recorder, watcher, db: mongo.db(), random, pids };
    const stepOptions = (step: number, rate: number, durationS: number): StepOptions => ({
      step,
      rate,
      durationMs: durationS * 1000,
      maxInFlight: settings.maxInFlight,
      drainTimeoutMs: settings.drainTimeoutS * 1000,
      sloE2eP99Ms: settings.slo.e2eP99Ms,
      sloMaxErrorShare: settings.slo.maxErrorShare,
      onProgress,
      progressEveryMs: tty ? 500 : 1000,
      signal: abort.signal,
    });

    if (settings.warmupS > 0) {
      const warmRate = Math.max(5, Math.min(30, Math.round((findMax ? search.start : settings.rate) / 4)));
      const warm = await runLoadStep(target, { ...stepOptions(0, warmRate, settings.warmupS), sloE2eP99Ms: Infinity });
      say(`warm-up: ${warm.report.acked} emails at ${warmRate}/s, e2e p99 ${warm.report.e2e.p99} ms, lost ${warm.report.lost}`);
    }

    if (!findMax) {
      const { report } = await runLoadStep(target, stepOptions(1, settings.rate, settings.durationS));
      steps.push(report);
      say(`step done: ${report.slo.passed ? 'SLO held' : `SLO broken: ${report.slo.reasons.join('; ')}`}`);
    } else {
      for (let rate = nextRate(trials, search); rate !== undefined && !abort.signal.aborted; rate = nextRate(trials, search)) {
        const { report } = await runLoadStep(target, stepOptions(steps.length + 1, rate, settings.stepDurationS));
        steps.push(report);
        trials.push({ rate, passed: report.slo.passed, reasons: report.slo.reasons });
        say(`${rate}/s: ${report.slo.passed ? 'held' : `broke (${report.slo.reasons.join('; ')})`}, e2e p99 ${report.e2e.p99} ms, ${report.throughput} notified/s`);
        await settle(recorder, watcher);
      }
    }
  } finally {
    ingress.close();
    await watcher?.stop();
    await mongo.close();
    const exits = await Promise.all(apps.map((a) => a.stop()));
    await recorder.close();
    for (const [i, exit] of exits.entries()) {
      if (exit.code !== 0 && exit.code !== null) say(`${apps[i].name} exited with code ${exit.code}:\n${exit.stderr.slice(-2000)}`);
    }
  }

  if (steps.length === 0) throw new Error('no step completed');
  const held = findMax ? maxHeld(trials) : settings.rate;
  const headline = findMax ? (steps.filter((s) => s.rate === held).pop() ?? steps[0]) : steps[0];
  const report: BenchReport = {
    mode: findMax ? 'find-max' : 'fixed',
    rate: headline.rate,
    throughput: headline.throughput,
    lost: headline.lost,
    duplicates: headline.duplicates,
    errors: headline.errors,
    ingress: headline.ingress,
    relay: headline.relay,
    e2e: headline.e2e,
    baseline,
    ratio: baseline && baseline.throughput > 0 ? Math.round((headline.throughput / baseline.throughput) * 1000) / 1000 : null,
    findMax: findMax ? { maxRate: held, slo: `e2e p99 < ${settings.slo.e2eP99Ms} ms, nothing lost, errors ≤ ${settings.slo.maxErrorShare * 100}%`, trials } : undefined,
    steps,
    settings: { ...settings, search: findMax ? search : undefined, tag, run, notifier: 'defaults (NOTIFIER_RATE_EMAIL_PER_SECOND 500, reminders on) but NOTIFIER_DELIVERY_METRICS_MS=0' },
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), platform: `${process.platform} ${process.arch}`, node: process.version },
    commit: commit(),
    timestamp,
  };
  mkdirSync(dirname(jsonPath), { recursive: true });
  const json = JSON.stringify(report, null, 2);
  writeFileSync(jsonPath, json);
  writeFileSync(htmlPath, renderHtml(report));
  if (!values.out) {
    writeFileSync(join(ROOT, 'reports', 'bench-latest.json'), json);
    writeFileSync(join(ROOT, 'reports', 'bench-latest.html'), renderHtml(report));
  }
  say('');
  process.stdout.write(`${textSummary(report, { json: jsonPath, html: htmlPath })}\n`);
  return 0;
}

/** Between steps: wait until no stored message or notification has arrived for 3 s (at most 90 s). */
async function settle(recorder: SmtpRecorder, watcher: StoredWatcher): Promise<void> {
  const deadline = Date.now() + 90_000;
  let last = -1;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    const now = recorder.accepted + watcher.seen.size;
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= 3000) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT }).toString().trim() !== '';
    return dirty ? `${head}-dirty` : head;
  } catch {
    return 'unknown';
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`\nbenchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
