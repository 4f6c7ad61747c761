/**
 * One chaos run: servers up, the three apps started, conversations set up, steady load posted to
 * the gateway while faults are injected on a seeded schedule, then a drain and the verification
 * of every acknowledged email and every notification.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { status, up } from '../../scripts/infra';
import { sleep, type AppName } from '../../test/support/app-process';
import { appEnv } from '../../test/support/env';
import { TEST_JWT_SECRET } from '../../test/support/graphql';
import { TEST_MAILGUN_SIGNING_KEY } from '../../test/support/mailgun';
import { freshNotifierGroup } from '../../test/support/notifier';
import { Topics } from '@libs/contracts';
import { AppFleet } from './app-fleet';
import { FaultInjector } from './fault-injector';
import { emailToken, generateEmail, tokenPattern as tokenPatternOf } from '../load/email-generator';
import { seededRandom } from '../load/random';
import { createScenario } from '../load/scenario';
import { SmtpRecorder } from '../load/smtp-recorder';
import { MailgunSender } from './mailgun-sender';
import { Observer, type StoredEvent } from './observer';
import { formatReport, type ChaosReport, type ChaosRunOptions } from './report';
import { FAULT_KINDS, planFaults, type FaultKind, type FaultTiming } from './schedule';
import { verifyChaos, type ChaosCounts, type ReceivedNotification } from './verify';

export interface ChaosOptions extends ChaosRunOptions {
  warmupS?: number;
  tailS?: number;
  /** How long to wait after the load for retries, messages and notifications to settle. */
  drainTimeoutS?: number;
  kinds?: readonly FaultKind[];
  timings?: Record<FaultKind, FaultTiming>;
  /** Seconds between progress lines. */
  progressEveryS?: number;
  reportDir?: string;
  log?: (line: string) => void;
}

export interface ChaosResult {
  report: ChaosReport;
  table: string;
  reportFile: string;
}

const DOMAIN = 'chaos.example.com';
/** The relay's fixed consumer group (apps/relay). */
const RELAY_CONSUMER_GROUP = 'relay';

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const reportDir = options.reportDir ?? join(__dirname, '..', '..', 'reports');
  mkdirSync(reportDir, { recursive: true });
  const appLog = join(reportDir, `chaos-${stamp}.apps.log`);
  const plan = planFaults({
    seed: options.seed,
    durationMs: options.durationS * 1000,
    faults: options.faults,
    warmupMs: (options.warmupS ?? 10) * 1000,
    tailMs: (options.tailS ?? 10) * 1000,
    kinds: options.kinds,
    timings: options.timings,
  });
  log(`chaos: seed ${options.seed}, ${options.rate} emails/s for ${options.durationS} s, ${plan.length} faults planned`);
  for (const f of plan) log(`  planned ${f.kind} at ${(f.atMs / 1000).toFixed(1)} s for ${(f.downtimeMs / 1000).toFixed(1)} s`);

  await up({ log: (line) => log(`  ${line}`) });
  const run = `chaos${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const tokenPattern = tokenPatternOf(run);
  const smtp = await SmtpRecorder.start({ tokenPattern });
  const notifications: ReceivedNotification[] = [];
  let foreignMail = 0;
  smtp.onMail((mail) => {
    if (mail.token === null) foreignMail++;
    else for (const to of mail.recipients) notifications.push({ token: mail.token, to, at: mail.acceptedAt });
  });
  const base = appEnv({ JWT_SECRET: TEST_JWT_SECRET, MAILGUN_SIGNING_KEY: TEST_MAILGUN_SIGNING_KEY, ALIAS_DOMAIN: DOMAIN, SMTP_URL: smtp.url });
  let notifierGroup: string;
  let observer: Observer;
  try {
    notifierGroup = await freshNotifierGroup('chaos-notifier');
    observer = await Observer.connect(base.MONGO_URL!, base.KAFKA_BROKERS!.split(','), tokenPattern);
  } catch (error) {
    await smtp.close();
    throw error;
  }
  const envOf = (name: AppName): NodeJS.ProcessEnv => (name === 'notifier' ? { ...base, NOTIFIER_CONSUMER_GROUP: notifierGroup } : base);
  const fleet = new AppFleet(envOf, appLog);
  const injector = new FaultInjector(fleet, log);
  let sender: MailgunSender | undefined;
  let progress: NodeJS.Timeout | undefined;
  try {
    await assertNoForeignConsumers(observer);
    await fleet.startAll();
    await drainBacklog(observer, log);
    // Seeded too: the same seed gives the same conversations, senders and emails.
    const random = seededRandom(options.seed ^ 0x5bd1e995);
    const scenario = await createScenario({
      gatewayUrl: fleet.url('gateway'),
      db: observer.db,
      run,
      conversations: options.conversations,
      participants: [2, 4],
      emailOnlyShare: 0.6,
      creators: Math.max(1, Math.ceil(options.conversations / 10)),
      random,
    });
    const conversationIds = scenario.conversations.map((c) => c.id);
    const participants = new Map(scenario.conversations.map((c) => [c.id, c.participants.map((p) => p.email)]));
    const emailOfParticipant = new Map(scenario.conversations.flatMap((c) => c.participants.map((p) => [p.id, p.email] as const)));
    const dlqBefore = await observer.deadLetterOffsets();
    log(`apps up, ${conversationIds.length} conversations ready; SMTP recorder at ${smtp.url}; app output in ${appLog}`);

    const activeSender = new MailgunSender({ gatewayUrl: () => fleet.url('gateway'), rate: options.rate }, (n) => {
      const conversation = scenario.conversations[n % scenario.conversations.length];
      const email = generateEmail(conversation, emailToken(run, 0, n), random);
      return { token: email.token, conversationId: email.conversationId, from: email.sender.email, alias: email.recipient, messageId: email.messageId, raw: email.raw };
    });
    sender = activeSender;
    const loadStarted = Date.now();
    let stored = 0;
    let counting = false;
    const report = (): void => {
      if (counting) return;
      counting = true;
      void observer
        .countMessages(conversationIds)
        .then((n) => (stored = n))
        .catch(() => undefined)
        .finally(() => (counting = false));
      const elapsed = ((Date.now() - loadStarted) / 1000).toFixed(0);
      log(
        `[${elapsed.padStart(4)} s] sent ${activeSender.emails.length}, acked ${activeSender.acknowledged}, pending ${activeSender.pending}, ` +
          `stored ${stored}, notified ${notifications.length}, faults ${injector.injected.length}/${plan.length}`,
      );
    };
    progress = setInterval(report, (options.progressEveryS ?? 5) * 1000);

    const faults = injector.run(plan, loadStarted);
    await activeSender.run(options.durationS * 1000);
    await faults;
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    log(`load done after ${loadSeconds.toFixed(1)} s; draining`);

    const drainStarted = Date.now();
    const drainDeadline = drainStarted + (options.drainTimeoutS ?? 180) * 1000;
    await activeSender.finish(drainDeadline);
    let events: StoredEvent[] = [];
    let counts: ChaosCounts | undefined;
    const verifyNow = async (): Promise<ChaosCounts> => {
      events = await observer.storedMessages(conversationIds, emailOfParticipant);
      return verifyChaos({ emails: activeSender.emails, stored: events, notifications, participants, faults: injector.injected });
    };
    while (Date.now() < drainDeadline) {
      try {
        counts = await verifyNow();
        if (counts.messages.lost.length === 0 && counts.notifications.lost.length === 0) break;
      } catch (error) {
        log(`drain: cannot read the log yet (${(error as Error).message})`);
      }
      await sleep(3_000);
    }
    // Late copies (a retry in flight) still count as duplicates.
    await sleep(5_000);
    counts = await verifyNow();
    const drainSeconds = (Date.now() - drainStarted) / 1000;
    clearInterval(progress);
    progress = undefined;

    const dlqAfter = await observer.deadLetterOffsets();
    const deadLettered = Object.fromEntries(Object.entries(dlqAfter).map(([topic, end]) => [topic, end - (dlqBefore[topic] ?? 0)]));
    const evidence = await gatherEvidence(counts, activeSender, events, observer);
    const crashed = fleet.crashed();
    if (crashed.length > 0) evidence.push(`apps that exited on their own: ${crashed.join(', ')}`);
    await fleet.stopAll();

    const chaosReport: ChaosReport = {
      options: { seed: options.seed, rate: options.rate, durationS: options.durationS, faults: options.faults, conversations: options.conversations },
      startedAt: startedAt.toISOString(),
      faults: injector.injected.map((f) => ({
        kind: f.kind,
        atS: (f.startedAt - loadStarted) / 1000,
        plannedAtS: (f.plannedAt - loadStarted) / 1000,
        downtimeS: f.downtimeMs / 1000,
        recoveredAfterS: (f.recoveredAt - f.startedAt) / 1000,
      })),
      counts,
      seconds: { load: loadSeconds, drain: drainSeconds, total: (Date.now() - startedAt.getTime()) / 1000 },
      deadLettered,
      answers: Object.fromEntries(activeSender.answers),
      evidence,
      serversHealthy: await serversHealthy(log),
      smtpWithoutToken: foreignMail,
      appLog,
    };
    const reportFile = join(reportDir, `chaos-${stamp}.json`);
    writeFileSync(reportFile, `${JSON.stringify(chaosReport, null, 2)}\n`);
    return { report: chaosReport, table: formatReport(chaosReport), reportFile };
  } finally {
    if (progress) clearInterval(progress);
    injector.abort();
    sender?.abort();
    await injector.restoreAll();
    await fleet.stopAll().catch(() => undefined);
    await observer.close().catch(() => undefined);
    await smtp.close();
  }
}

/** Another relay or notifier on the same Kafka would handle some of this run's work out of its control. */
async function assertNoForeignConsumers(observer: Observer): Promise<void> {
  const foreign = await observer.appConsumers();
  if (foreign.length > 0) {
    throw new Error(`apps of another run are consuming: ${foreign.join('; ')}. They would take some of this run's emails or notifications out of its faults and checks; stop them first`);
  }
}

/** Emails other runs left queued go first, so the load starts on an idle relay. */
async function drainBacklog(observer: Observer, log: (line: string) => void, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lag = await observer.lag(RELAY_CONSUMER_GROUP, Topics.InboundEmailReceived);
  if (lag === 0) return;
  log(`the relay has ${lag} queued email(s) from earlier runs; waiting for it to catch up`);
  while (lag > 0 && Date.now() < deadline) {
    await sleep(2_000);
    lag = await observer.lag(RELAY_CONSUMER_GROUP, Topics.InboundEmailReceived);
  }
  log(lag === 0 ? 'relay caught up' : `relay still has ${lag} queued email(s); starting anyway`);
}

/** Every server answers its probe; one that does not is brought back with up() first. */
async function serversHealthy(log: (line: string) => void): Promise<boolean> {
  const rows = await status();
  if (rows.every((r) => r.answering)) return true;
  log(`servers not answering after the run: ${rows.filter((r) => !r.answering).map((r) => r.service).join(', ')}; bringing them back`);
  await up({ log: (line) => log(`  ${line}`) });
  return (await status()).every((r) => r.answering);
}

const EVIDENCE_LIMIT = 20;

async function gatherEvidence(counts: ChaosCounts, sender: MailgunSender, events: StoredEvent[], observer: Observer): Promise<string[]> {
  const lines: string[] = [];
  const byToken = new Map(sender.emails.map((e) => [e.token, e]));
  for (const token of counts.messages.lost.slice(0, EVIDENCE_LIMIT)) {
    const email = byToken.get(token)!;
    const record = email.inboundId ? await observer.inboundEmail(email.inboundId).catch(() => null) : null;
    lines.push(
      `message lost: ${token} (Message-ID <${email.messageId}>, acked ${new Date(email.ackedAt!).toISOString()} after ${email.attempts} attempt(s), inbound ${email.inboundId ?? '?'}: ` +
        `${record ? JSON.stringify({ status: record.status, statusChangedAt: record.statusChangedAt, error: record.error ?? record.lastError }) : 'no inbound record'})`,
    );
  }
  const eventOf = new Map(events.map((e) => [e.token, e]));
  for (const { token, to } of counts.notifications.lost.slice(0, EVIDENCE_LIMIT)) {
    const event = eventOf.get(token);
    const deliveries = event ? await observer.deliveriesOf(event.conversationId, Number(event.eventId.split(':').pop())).catch(() => []) : [];
    // The Message-ID's domain tells which notifier (which ALIAS_DOMAIN) sent it.
    const summary = deliveries.map((d) => `${String(d.recipient)}/${String(d.channel)}=${String(d.state)} (attempts ${String(d.attempts)}, ${String(d.providerMessageId ?? 'no Message-ID')}${d.lastError ? `, ${String(d.lastError)}` : ''})`);
    lines.push(`notification lost: ${token} to ${to}, event ${event?.eventId ?? '?'} committed ${event ? new Date(event.at).toISOString() : '?'}; deliveries: ${summary.join('; ') || 'none'}`);
  }
  for (const d of [...counts.messages.duplicates, ...counts.notifications.duplicates].filter((x) => x.fault === undefined).slice(0, EVIDENCE_LIMIT)) {
    lines.push(`duplicate outside any crash window: ${d.token}${d.to ? ` to ${d.to}` : ''}, ${d.copies} copies, first at ${new Date(d.firstAt).toISOString()}`);
  }
  return lines;
}

export { FAULT_KINDS };
