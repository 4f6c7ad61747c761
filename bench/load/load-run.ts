import { Db } from 'mongodb';
import { summarize } from '../stats';
import { cpuPercent, cpuSeconds, machineBusySeconds } from './cpu';
import { DEFAULT_MIX, emailToken, EmailMix, generateEmail } from './email-generator';
import { MailgunIngressClient } from './ingress-client';
import { runOpenLoop } from './open-loop';
import { pick, Random } from './random';
import { StepReport } from './report-types';
import { Scenario } from './scenario-types';
import { histogram, perSecond, recentP99, Sample } from './series';
import { SmtpRecorder } from './smtp-recorder';
import { StoredWatcher } from './stored-watcher';
import { AcceptedNotification, SentEmail, StoredMessage, verify, Verification } from './verifier';

/** Everything a load step needs, set up once per bench run. */
export interface LoadTarget {
  scenario: Scenario;
  /** Short run tag every token starts with. */
  tag: string;
  ingress: MailgunIngressClient;
  recorder: SmtpRecorder;
  watcher: StoredWatcher;
  db: Db;
  random: Random;
  mix?: EmailMix;
  /** Processes whose CPU is reported per step, by name. */
  pids?: () => Record<string, number>;
}

export interface StepOptions {
  step: number;
  rate: number;
  durationMs: number;
  maxInFlight: number;
  /** After the last send, how long stored messages and notifications are waited for. */
  drainTimeoutMs: number;
  /** SLO of the step: end-to-end p99 below this (ms), nothing lost, errors at most this share. */
  sloE2eP99Ms: number;
  sloMaxErrorShare: number;
  onProgress?: (progress: StepProgress) => void;
  progressEveryMs?: number;
  signal?: AbortSignal;
}

export interface StepProgress {
  step: number;
  rate: number;
  phase: 'sending' | 'draining';
  elapsedS: number;
  sent: number;
  acked: number;
  errors: number;
  stored: number;
  notified: number;
  expectedNotifications: number;
  inFlight: number;
  /** p99 of end-to-end latency over the last 5 s, ms. */
  e2eP99: number | null;
  ingressP99: number | null;
}

export interface StepOutcome {
  report: StepReport;
  verification: Verification;
  sent: SentEmail[];
}

/**
 * One load step: emails posted open-loop at `rate` for `durationMs`, then waited for until all are
 * stored and notified or the drain timeout passes, then every one checked against MongoDB and
 * the SMTP server's log.
 */
export async function runLoadStep(target: LoadTarget, options: StepOptions): Promise<StepOutcome> {
  const { scenario, tag } = target;
  const { step } = options;
  const sent: SentEmail[] = [];
  const byToken = new Map<string, SentEmail>();
  const ingressSamples: Sample[] = [];
  const e2eLive: Sample[] = [];
  const notifications: AcceptedNotification[] = [];
  const storedLive = new Set<string>();
  let acked = 0;
  let errors = 0;
  let inFlight = 0;
  let expectedNotifications = 0;
  const prefix = `${tag}-${step}-`;

  const stopMail = target.recorder.onMail((mail) => {
    if (!mail.token?.startsWith(prefix)) return;
    for (const recipient of mail.recipients) {
      notifications.push({ token: mail.token, recipient, messageId: mail.messageId, acceptedAt: mail.acceptedAt });
      const email = byToken.get(mail.token);
      if (email?.ackAt !== undefined) e2eLive.push({ at: mail.acceptedAt, value: mail.acceptedAt - email.ackAt });
    }
  });
  const stopWatch = target.watcher.onMessage((m) => {
    if (m.token.startsWith(prefix)) storedLive.add(m.token);
  });

  const pids = target.pids?.() ?? {};
  const cpuBefore = { ...cpuSeconds(pids), machine: machineBusySeconds() };
  const began = Date.now();
  const progress = (phase: StepProgress['phase']): StepProgress => {
    const now = Date.now();
    return {
      step,
      rate: options.rate,
      phase,
      elapsedS: Math.round((now - began) / 100) / 10,
      sent: sent.length,
      acked,
      errors,
      stored: storedLive.size,
      notified: notifications.length,
      expectedNotifications,
      inFlight,
      e2eP99: recentP99(e2eLive, now, 5000),
      ingressP99: recentP99(ingressSamples, now, 5000),
    };
  };
  let phase: StepProgress['phase'] = 'sending';
  const ticker = options.onProgress ? setInterval(() => options.onProgress!(progress(phase)), options.progressEveryMs ?? 1000) : undefined;

  try {
    const loop = await runOpenLoop({
      rate: options.rate,
      durationMs: options.durationMs,
      maxInFlight: options.maxInFlight,
      signal: options.signal,
      send: async (index, dueAt) => {
        const conversation = scenario.conversations[Math.floor(target.random() * scenario.conversations.length)];
        const token = emailToken(tag, step, index);
        const email = generateEmail(conversation, token, target.random, { mix: target.mix ?? DEFAULT_MIX, sender: pick(target.random, conversation.participants) });
        const record: SentEmail = { token, conversationId: conversation.id, notify: email.notify, scheduledAt: dueAt, sentAt: Date.now() };
        sent.push(record);
        byToken.set(token, record);
        inFlight++;
        const started = performance.now();
        const answer = await target.ingress.post(email.raw, { recipient: email.recipient, sender: email.sender.email });
        const tookMs = performance.now() - started;
        inFlight--;
        record.status = answer.status;
        if (answer.error) {
          record.error = answer.error;
          errors++;
          return;
        }
        record.ackAt = Date.now();
        // Open loop: latency counts from the due time, so a late send is not hidden.
        ingressSamples.push({ at: record.ackAt, value: Math.round((tookMs + (record.sentAt - dueAt)) * 10) / 10 });
        acked++;
        expectedNotifications += record.notify.length;
      },
    });

    phase = 'draining';
    const drainUntil = Date.now() + options.drainTimeoutMs;
    while (Date.now() < drainUntil && !options.signal?.aborted) {
      const storedAll = sent.every((s) => s.ackAt === undefined || storedLive.has(s.token));
      if (storedAll && notifications.length >= expectedNotifications) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // A moment more, so a duplicate right behind the last notification is seen too.
    await new Promise((r) => setTimeout(r, 1000));
    const drainedAt = Date.now();
    const cpu = cpuPercent(cpuBefore, { ...cpuSeconds(pids), machine: machineBusySeconds() }, drainedAt - began);
    // Whatever else ran on the machine meanwhile (other jobs compete for the same cores).
    const named = Object.entries(cpu).filter(([name]) => name !== 'machine').reduce((sum, [, pct]) => sum + pct, 0);
    if (Number.isFinite(cpu.machine)) cpu.other = Math.max(0, Math.round((cpu.machine - named) * 10) / 10);

    const stored = await storedMessages(target, prefix, began - 60_000);
    const verification = verify(sent, stored, notifications);
    const report = buildStepReport({ options, loop, sent, ingressSamples, verification, stored, notifications, began, cpu });
    return { report, verification, sent };
  } finally {
    if (ticker) clearInterval(ticker);
    stopMail();
    stopWatch();
  }
}

/** MessageAdded events of the scenario's conversations whose email carries a token of this step, from MongoDB. */
async function storedMessages(target: LoadTarget, prefix: string, since: number): Promise<StoredMessage[]> {
  const ids = target.scenario.conversations.map((c) => c.id);
  const docs = await target.db
    .collection<{ conversationId: string; occurredAt: Date; data: { emailMessageId?: string | null } }>('conversation_events')
    .find({ conversationId: { $in: ids }, type: 'MessageAdded', occurredAt: { $gte: new Date(since) } }, { projection: { conversationId: 1, occurredAt: 1, 'data.emailMessageId': 1 } })
    .toArray();
  const out: StoredMessage[] = [];
  for (const doc of docs) {
    const messageId = doc.data?.emailMessageId ?? '';
    const start = messageId.indexOf(prefix);
    if (start < 0) continue;
    const token = /^[a-z0-9]+-\d+-\d+/.exec(messageId.slice(start))?.[0];
    if (!token) continue;
    out.push({ token, conversationId: doc.conversationId, storedAt: new Date(doc.occurredAt).getTime(), publishedAt: target.watcher.seen.get(token)?.publishedAt });
  }
  return out;
}

interface BuildInput {
  options: StepOptions;
  loop: Awaited<ReturnType<typeof runOpenLoop>>;
  sent: SentEmail[];
  ingressSamples: Sample[];
  verification: Verification;
  stored: StoredMessage[];
  notifications: AcceptedNotification[];
  began: number;
  cpu: Record<string, number>;
}

export function buildStepReport(input: BuildInput): StepReport {
  const { options, loop, sent, verification: v } = input;
  const start = loop.startedAt;
  const durationS = options.durationMs / 1000;
  const errorsByKind: Record<string, number> = {};
  for (const s of sent) if (s.error) errorsByKind[s.error] = (errorsByKind[s.error] ?? 0) + 1;
  const round = (n: number) => Math.round(n * 10) / 10;
  // The sending window: from the first due time to one interval after the last send.
  const sendWindowS = Math.max(0.001, (loop.lastSentAt - start + 1000 / options.rate) / 1000);
  const complete = v.completions.filter((c) => c.notifiedAt !== undefined);
  const lastNotified = complete.length ? Math.max(...complete.map((c) => c.notifiedAt!)) : start;
  const lastStored = v.completions.length ? Math.max(...v.completions.map((c) => c.storedAt)) : start;
  const seconds = Math.ceil(Math.max(durationS, (Math.max(lastNotified, lastStored) - start) / 1000)) + 1;

  const acks: Sample[] = sent.filter((s) => s.ackAt !== undefined).map((s) => ({ at: s.ackAt!, value: 0 }));
  const relaySamples: Sample[] = v.completions.map((c) => ({ at: c.ackAt, value: c.storedAt - c.ackAt }));
  const e2eSamples: Sample[] = [];
  const ackOf = new Map(sent.map((s) => [s.token, s.ackAt]));
  for (const n of input.notifications) {
    const ack = n.token ? ackOf.get(n.token) : undefined;
    if (ack !== undefined) e2eSamples.push({ at: ack, value: n.acceptedAt - ack });
  }
  const storedSamples: Sample[] = v.completions.map((c) => ({ at: c.storedAt, value: 0 }));
  const notifiedSamples: Sample[] = complete.map((c) => ({ at: c.notifiedAt!, value: 0 }));

  const e2e = summarize(v.latency.e2e);
  const reasons: string[] = [];
  if (!(e2e.p99 < options.sloE2eP99Ms)) reasons.push(`e2e p99 ${Number.isFinite(e2e.p99) ? `${e2e.p99} ms` : 'unmeasured'} ≥ ${options.sloE2eP99Ms} ms`);
  if (v.lost > 0) reasons.push(`${v.lost} lost`);
  if (v.errors > sent.length * options.sloMaxErrorShare) reasons.push(`${v.errors} errors`);
  if (loop.overload) reasons.push('sender overloaded');
  if (v.acked / sendWindowS < options.rate * 0.95) reasons.push(`achieved ${round(v.acked / sendWindowS)}/s of ${options.rate}/s`);

  return {
    rate: options.rate,
    durationS,
    achievedRate: round(v.acked / sendWindowS),
    sent: sent.length,
    acked: v.acked,
    errors: v.errors,
    errorsByKind,
    overload: loop.overload?.message,
    throughput: complete.length ? round(complete.length / Math.max(durationS, (lastNotified - start) / 1000)) : 0,
    throughputStored: v.completions.length ? round(v.completions.length / Math.max(durationS, (lastStored - start) / 1000)) : 0,
    lost: v.lost,
    duplicates: v.duplicates,
    verification: {
      notStored: v.notStored,
      notNotified: v.notNotified,
      missingNotifications: v.missingNotifications,
      expectedNotifications: v.expectedNotifications,
      duplicateStored: v.duplicateStored,
      duplicateNotifications: v.duplicateNotifications,
      unexpectedNotifications: v.unexpectedNotifications,
      storedWithoutAck: v.storedWithoutAck,
      lostExamples: v.lostExamples,
    },
    ingress: summarize(input.ingressSamples.map((s) => s.value)),
    relay: summarize(v.latency.relay),
    publish: summarize(v.latency.publish),
    notify: summarize(v.latency.notify),
    e2e,
    senderMaxLagMs: loop.maxLagMs,
    series: {
      acked: perSecond(acks, start, seconds).count,
      stored: perSecond(storedSamples, start, seconds).count,
      notified: perSecond(notifiedSamples, start, seconds).count,
      ingress: perSecond(input.ingressSamples, start, seconds),
      relay: perSecond(relaySamples, start, seconds),
      e2e: perSecond(e2eSamples, start, seconds),
    },
    histograms: { ingress: histogram(input.ingressSamples.map((s) => s.value)), relay: histogram(v.latency.relay), e2e: histogram(v.latency.e2e) },
    cpu: input.cpu,
    slo: { passed: reasons.length === 0, reasons },
  };
}
