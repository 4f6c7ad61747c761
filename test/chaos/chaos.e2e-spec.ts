import { readFileSync } from 'node:fs';
import { status } from '../../scripts/infra';
import { runChaos, type ChaosResult } from '../../bench/chaos/engine';
import { faultsByKind, summaryRows } from '../../bench/chaos/report';
import { FAULT_KINDS, randomSeed } from '../../bench/chaos/schedule';
import { extraCopies } from '../../bench/chaos/verify';

// Half of what this machine sustains without faults (docs/performance.md): the backlog a 20 s
// database restart builds must be caught up within the drain timeout, on a warm database too.
const RATE = 6;
const DURATION_S = 100;

/**
 * The short form of `npm run chaos`: steady email load while each app is SIGKILLed, Kafka and the
 * database restarted and S3 frozen, once each at seeded random moments. Every acknowledged email
 * must be in its conversation exactly once and every notification sent; the servers are left up.
 * CHAOS_SEED repeats a run.
 */
describe('chaos under steady load', () => {
  let result: ChaosResult;

  beforeAll(async () => {
    const seed = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : randomSeed();
    process.stdout.write(`chaos e2e: seed ${seed}\n`);
    result = await runChaos({
      seed,
      rate: RATE,
      durationS: DURATION_S,
      faults: FAULT_KINDS.length,
      conversations: 12,
      warmupS: 8,
      tailS: 5,
      drainTimeoutS: 90,
      progressEveryS: 10,
      log: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(`\n${result.table}\n`);
  }, 330_000);

  it('injected every kind of fault', () => {
    const byKind = faultsByKind(result.report.faults);
    for (const kind of FAULT_KINDS) expect({ kind, count: byKind[kind] }).toEqual({ kind, count: 1 });
    // The faults reached the ingress: some posts had to be retried.
    expect(result.report.counts.emails.retries).toBeGreaterThan(0);
  });

  it('lost nothing: every acknowledged email stored once, every notification sent', () => {
    const { messages, notifications } = result.report.counts;
    expect({ lostMessages: messages.lost, lostNotifications: notifications.lost.length, evidence: result.report.evidence }).toEqual({ lostMessages: [], lostNotifications: 0, evidence: [] });
    expect(messages.misplaced).toEqual([]);
    expect(notifications.unexpected).toBe(0);
    expect(result.report.counts.duplicatesOutsideWindows).toBe(0);
    expect(result.report.counts.ok).toBe(true);
  });

  it('reports numbers that add up, in the table and in the JSON file', () => {
    const { report } = result;
    const { emails, messages, notifications } = report.counts;
    expect(emails.sent).toBe(RATE * DURATION_S);
    expect(emails.acknowledged + emails.unacknowledged).toBe(emails.sent);
    // Every attempt got an answer or counted as unanswered.
    expect(Object.values(report.answers).reduce((a, b) => a + b, 0)).toBe(emails.sent + emails.retries);
    expect(messages.stored).toBeGreaterThanOrEqual(emails.acknowledged);
    expect(messages.events).toBe(messages.stored + extraCopies(messages.duplicates));
    expect(notifications.sent).toBe(notifications.expected);
    expect(notifications.received).toBe(notifications.sent + extraCopies(notifications.duplicates) + notifications.unexpected);
    // Each message notifies the one to three other participants of its conversation.
    expect(notifications.expected).toBeGreaterThanOrEqual(messages.stored);
    expect(notifications.expected).toBeLessThanOrEqual(3 * messages.stored);

    for (const [label, value] of summaryRows(report)) expect(result.table).toMatch(new RegExp(`${label.replace(/[()]/g, '\\$&')}\\s+${value.replace(/[()/]/g, '\\$&')}`));
    expect(JSON.parse(readFileSync(result.reportFile, 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('leaves every server up and answering', async () => {
    expect(result.report.serversHealthy).toBe(true);
    const rows = await status();
    expect(rows.map((r) => ({ service: r.service, answering: r.answering, paused: r.paused }))).toEqual(rows.map((r) => ({ service: r.service, answering: true, paused: false })));
  });
});
