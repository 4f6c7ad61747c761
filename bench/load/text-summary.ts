import { formatSummary } from '../stats';
import { BenchReport } from './report-types';
import { StepProgress } from './load-run';

/** The one-screen summary of a bench report, as plain text lines. */
export function textSummary(report: BenchReport, files: { json: string; html: string }): string {
  const lines: string[] = [];
  const title = report.mode === 'find-max' ? `find-max: highest rate that held ${report.findMax?.maxRate ?? 0} emails/s (${report.findMax?.slo})` : `load at ${report.rate} emails/s`;
  lines.push(title, '');
  if (report.findMax) {
    lines.push('  target/s  achieved/s  notified/s  e2e p99 ms  relay p99 ms  ingress p99 ms  lost  errors  SLO');
    for (const s of report.steps) {
      lines.push(
        `  ${String(s.rate).padStart(8)}  ${String(s.achievedRate).padStart(10)}  ${String(s.throughput).padStart(10)}  ${String(s.e2e.p99).padStart(10)}  ${String(s.relay.p99).padStart(12)}  ${String(s.ingress.p99).padStart(14)}  ${String(s.lost).padStart(4)}  ${String(s.errors).padStart(6)}  ${s.slo.passed ? 'held' : s.slo.reasons.join('; ')}`,
      );
    }
    lines.push('', `figures of the highest rate that held (${report.rate}/s):`);
  }
  const step = report.steps.find((s) => s.rate === report.rate) ?? report.steps[report.steps.length - 1];
  lines.push(formatSummary('ingress (POST → 2xx)', report.ingress));
  lines.push(formatSummary('relay (2xx → stored)', report.relay));
  if (step) lines.push(formatSummary('  publish (stored → Kafka)', step.publish), formatSummary('  notify (stored → SMTP)', step.notify));
  lines.push(formatSummary('e2e (2xx → SMTP accepted)', report.e2e));
  lines.push('');
  if (step) {
    lines.push(`sent ${step.sent}, acknowledged ${step.acked} (${step.achievedRate}/s), errors ${report.errors}${Object.keys(step.errorsByKind).length ? ` ${JSON.stringify(step.errorsByKind)}` : ''}`);
    lines.push(`throughput ${report.throughput} messages/s notified, ${step.throughputStored}/s stored`);
    const v = step.verification;
    lines.push(`lost ${report.lost} (not stored ${v.notStored}, not fully notified ${v.notNotified}; ${v.missingNotifications} of ${v.expectedNotifications} notifications missing)`);
    lines.push(`duplicates ${report.duplicates} (stored ${v.duplicateStored}, notifications ${v.duplicateNotifications})`);
    const cpu = Object.entries(step.cpu).sort((a, b) => b[1] - a[1]).map(([n, p]) => `${n} ${p.toFixed(0)}%`).join(', ');
    if (cpu) lines.push(`CPU (% of one core): ${cpu}`);
  }
  lines.push(report.baseline ? `baseline ${report.baseline.throughput} emails/s (raw clients, ${report.baseline.concurrency} in flight); system at ${report.ratio === null ? '–' : `${(report.ratio * 100).toFixed(1)}%`} of it` : 'baseline not measured');
  lines.push('', `report: ${files.json}`, `        ${files.html}`);
  return lines.join('\n');
}

/** One progress line. */
export function progressLine(p: StepProgress): string {
  const ms = (v: number | null) => (v === null ? '–' : `${Math.round(v)} ms`);
  return `[${p.rate}/s ${p.phase} ${p.elapsedS.toFixed(0)}s] sent ${p.sent} acked ${p.acked} err ${p.errors} stored ${p.stored} notified ${p.notified}/${p.expectedNotifications} in-flight ${p.inFlight} p99 ingress ${ms(p.ingressP99)} e2e ${ms(p.e2eP99)}`;
}
