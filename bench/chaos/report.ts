/** The report of a chaos run: its JSON shape and the table printed at the end. */
import { FAULT_KINDS, type FaultKind } from './schedule';
import { extraCopies, type ChaosCounts } from './verify';

export interface ChaosRunOptions {
  seed: number;
  /** Emails per second. */
  rate: number;
  durationS: number;
  faults: number;
  conversations: number;
}

export interface FaultRow {
  kind: FaultKind;
  /** Seconds from the start of the load. */
  atS: number;
  plannedAtS: number;
  downtimeS: number;
  /** Seconds from injection until the target answered again. */
  recoveredAfterS: number;
}

export interface ChaosReport {
  options: ChaosRunOptions;
  startedAt: string;
  faults: FaultRow[];
  counts: ChaosCounts;
  seconds: { load: number; drain: number; total: number };
  /** Messages that reached a dead-letter topic during the run, per topic. */
  deadLettered: Record<string, number>;
  /** Answers of the gateway by HTTP status ("no answer" when the request failed). */
  answers: Record<string, number>;
  /** For every lost email or notification: what the system recorded about it. */
  evidence: string[];
  /** Every server answered its probe once the run had given everything back. */
  serversHealthy: boolean;
  /** Emails the SMTP server accepted that carry no token of this run (other suites' leftovers). */
  smtpWithoutToken: number;
  /** Where the apps' output went. */
  appLog: string;
}

export function repeatCommand(o: ChaosRunOptions): string {
  return `npm run chaos -- --seed ${o.seed} --rate ${o.rate} --duration ${o.durationS} --faults ${o.faults} --conversations ${o.conversations}`;
}

export function faultsByKind(faults: readonly FaultRow[]): Record<FaultKind, number> {
  const counts = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  for (const f of faults) counts[f.kind]++;
  return counts;
}

function table(header: string[], rows: string[][], alignRight: boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (alignRight[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

const s = (n: number): string => n.toFixed(1);

/** The rows of the summary, as label and value; the table and the e2e suite read the same rows. */
export function summaryRows(report: ChaosReport): [string, string][] {
  const { emails, messages, notifications } = report.counts;
  const inside = (d: { fault?: FaultKind }[]) => d.filter((x) => x.fault !== undefined).length;
  const dlq = Object.values(report.deadLettered).reduce((a, b) => a + b, 0);
  return [
    ['emails sent', String(emails.sent)],
    ['emails acknowledged (2xx)', String(emails.acknowledged)],
    ['emails never acknowledged', String(emails.unacknowledged)],
    ['retries (non-2xx or no answer)', String(emails.retries)],
    ['messages stored', String(messages.stored)],
    ['messages lost', String(messages.lost.length)],
    ['message duplicates', `${extraCopies(messages.duplicates)} (${inside(messages.duplicates)}/${messages.duplicates.length} in crash windows)`],
    ['messages misplaced', String(messages.misplaced.length)],
    ['notifications expected', String(notifications.expected)],
    ['notifications sent', String(notifications.sent)],
    ['notifications lost', String(notifications.lost.length)],
    ['notification duplicates', `${extraCopies(notifications.duplicates)} (${inside(notifications.duplicates)}/${notifications.duplicates.length} in crash windows)`],
    ['notifications unexpected', String(notifications.unexpected)],
    ['dead-lettered', String(dlq)],
    ['lost', String(messages.lost.length + notifications.lost.length)],
    ['result', report.counts.ok ? 'OK' : 'FAILED'],
  ];
}

export function formatReport(report: ChaosReport): string {
  const o = report.options;
  const lines: string[] = [];
  lines.push(`chaos run: ${o.rate} emails/s for ${o.durationS} s over ${o.conversations} conversations, seed ${o.seed}`);
  lines.push(`repeat with: ${repeatCommand(o)}`);
  lines.push('');
  lines.push(`faults injected (${report.faults.length})`);
  lines.push(
    ...table(
      ['#', 'kind', 'at s', 'planned s', 'down s', 'back after s'],
      report.faults.map((f, i) => [String(i + 1), f.kind, s(f.atS), s(f.plannedAtS), s(f.downtimeS), s(f.recoveredAfterS)]),
      [true, false, true, true, true, true],
    ),
  );
  const byKind = faultsByKind(report.faults);
  lines.push(`by kind: ${FAULT_KINDS.map((k) => `${k} ${byKind[k]}`).join(', ')}`);
  lines.push('');
  lines.push(...table(['', 'count'], summaryRows(report), [false, true]));
  lines.push('');
  lines.push(`load ${s(report.seconds.load)} s, drain ${s(report.seconds.drain)} s, total ${s(report.seconds.total)} s`);
  lines.push(`servers healthy after the run: ${report.serversHealthy ? 'yes' : 'NO'}; app output: ${report.appLog}`);
  lines.push(`SMTP emails without a token of this run: ${report.smtpWithoutToken}`);
  lines.push(`gateway answers: ${Object.entries(report.answers).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (report.evidence.length > 0) lines.push('', 'evidence:', ...report.evidence.map((e) => `  ${e}`));
  return lines.join('\n');
}
