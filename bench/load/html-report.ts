import { LatencySummary } from '../stats';
import { BenchReport, StepReport } from './report-types';
import { Histogram } from './series';

/**
 * A self-contained HTML page for a bench report: no scripts, fonts or styles from elsewhere,
 * charts as inline SVG, so it opens the same offline and in a CI artifact viewer.
 */
export function renderHtml(report: BenchReport): string {
  const title = report.mode === 'find-max' ? `Find max: ${report.findMax?.maxRate ?? 0} emails/s held` : `Load at ${report.rate} emails/s`;
  const body = [
    `<h1>${esc(title)}</h1>`,
    `<p class="meta">${esc(report.timestamp)} · commit ${esc(report.commit.slice(0, 12))} · ${report.machine.cpus} × ${esc(report.machine.cpuModel)}, ${report.machine.memoryGiB} GiB · Node ${esc(report.machine.node)}</p>`,
    summaryTable(report),
    report.findMax ? findMaxSection(report) : '',
    ...report.steps.map((step, i) => stepSection(step, report.steps.length > 1 ? `Step ${i + 1}: ${step.rate} emails/s` : `${step.rate} emails/s for ${step.durationS} s`)),
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Arial,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-top:1px solid #ddd;padding-top:16px}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right;font-variant-numeric:tabular-nums}
th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}.meta{color:#666}.bad{color:#b00020;font-weight:600}.good{color:#08722f;font-weight:600}
.charts{display:flex;flex-wrap:wrap;gap:12px}svg{background:#fcfcfc;border:1px solid #eee}
</style></head><body>
${body}
</body></html>
`;
}

function summaryTable(report: BenchReport): string {
  const rows: [string, string][] = [
    ['target rate', `${report.rate} emails/s`],
    ['throughput (notified)', `${report.throughput} messages/s`],
    ['lost', cls(report.lost === 0, String(report.lost))],
    ['duplicates', cls(report.duplicates === 0, String(report.duplicates))],
    ['errors', cls(report.errors === 0, String(report.errors))],
    ['baseline', report.baseline ? `${report.baseline.throughput} emails/s (${report.baseline.concurrency} in flight, ${report.baseline.durationS} s)` : 'not measured'],
    ['ratio to baseline', report.ratio === null ? '–' : `${(report.ratio * 100).toFixed(1)} %`],
  ];
  return `<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('')}</table>${latencyTable([
    ['ingress (POST → 2xx)', report.ingress],
    ['relay (2xx → stored)', report.relay],
    ['end to end (2xx → SMTP accepted)', report.e2e],
  ])}`;
}

function latencyTable(rows: [string, LatencySummary][]): string {
  const head = '<tr><th>stage</th><th>n</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr>';
  return `<table>${head}${rows.map(([name, s]) => `<tr><td>${esc(name)}</td><td>${s.count}</td><td>${num(s.p50)}</td><td>${num(s.p95)}</td><td>${num(s.p99)}</td><td>${num(s.max)}</td></tr>`).join('')}</table>`;
}

function findMaxSection(report: BenchReport): string {
  const steps = report.steps;
  const rows = steps
    .map(
      (s) =>
        `<tr><td>${s.rate}</td><td>${s.achievedRate}</td><td>${s.throughput}</td><td>${num(s.e2e.p99)}</td><td>${num(s.relay.p99)}</td><td>${num(s.ingress.p99)}</td><td>${s.lost}</td><td>${s.errors}</td><td>${cls(s.slo.passed, s.slo.passed ? 'held' : esc(s.slo.reasons.join('; ')))}</td></tr>`,
    )
    .join('');
  const chart = lineChart(
    'end-to-end p99 by target rate',
    steps.map((s) => s.rate),
    [{ name: 'e2e p99 ms', color: '#d62728', values: steps.map((s) => finite(s.e2e.p99)) }, { name: 'SLO 1000 ms', color: '#999', values: steps.map(() => 1000) }],
    'emails/s',
    true,
  );
  return `<h2>Search (${esc(report.findMax!.slo)})</h2><p>Highest rate that held: <b>${report.findMax!.maxRate} emails/s</b></p>
<table><tr><th>target /s</th><th>achieved /s</th><th>throughput /s</th><th>e2e p99</th><th>relay p99</th><th>ingress p99</th><th>lost</th><th>errors</th><th>SLO</th></tr>${rows}</table>
<div class="charts">${chart}</div>`;
}

function stepSection(step: StepReport, heading: string): string {
  const t = step.series.ingress.t;
  const cpu = Object.entries(step.cpu)
    .sort((a, b) => b[1] - a[1])
    .map(([name, pct]) => `<tr><td>${esc(name)}</td><td>${pct.toFixed(0)} %</td></tr>`)
    .join('');
  const charts = [
    lineChart('achieved rate per second', t, [
      { name: 'acknowledged/s', color: '#1f77b4', values: step.series.acked },
      { name: 'stored/s', color: '#2ca02c', values: step.series.stored },
      { name: 'notified/s', color: '#ff7f0e', values: step.series.notified },
    ], 's'),
    lineChart('ingress latency (ms)', t, [
      { name: 'p50', color: '#1f77b4', values: step.series.ingress.p50 },
      { name: 'p99', color: '#d62728', values: step.series.ingress.p99 },
    ], 's'),
    lineChart('relay latency (ms)', t, [
      { name: 'p50', color: '#1f77b4', values: step.series.relay.p50 },
      { name: 'p99', color: '#d62728', values: step.series.relay.p99 },
    ], 's'),
    lineChart('end-to-end latency (ms)', t, [
      { name: 'p50', color: '#1f77b4', values: step.series.e2e.p50 },
      { name: 'p99', color: '#d62728', values: step.series.e2e.p99 },
    ], 's'),
    histogramChart('ingress histogram', step.histograms.ingress),
    histogramChart('relay histogram', step.histograms.relay),
    histogramChart('end-to-end histogram', step.histograms.e2e),
  ].join('\n');
  const v = step.verification;
  return `<h2>${esc(heading)}</h2>
<p>sent ${step.sent}, acknowledged ${step.acked} (${step.achievedRate}/s), errors ${step.errors}${Object.keys(step.errorsByKind).length ? ` (${esc(JSON.stringify(step.errorsByKind))})` : ''}, throughput ${step.throughput} notified/s, ${step.throughputStored} stored/s; sender lag max ${step.senderMaxLagMs} ms.
SLO: ${cls(step.slo.passed, step.slo.passed ? 'held' : esc(step.slo.reasons.join('; ')))}${step.overload ? ` <span class="bad">${esc(step.overload)}</span>` : ''}</p>
<p>lost ${cls(step.lost === 0, String(step.lost))} (not stored ${v.notStored}, not fully notified ${v.notNotified}, missing notifications ${v.missingNotifications} of ${v.expectedNotifications}); duplicates ${cls(step.duplicates === 0, String(step.duplicates))} (stored ${v.duplicateStored}, notifications ${v.duplicateNotifications}); unexpected notifications ${v.unexpectedNotifications}; stored without acknowledgement ${v.storedWithoutAck}.</p>
${latencyTable([
  ['ingress', step.ingress],
  ['relay (2xx → stored)', step.relay],
  ['publish (stored → conversation.events)', step.publish],
  ['notify (stored → SMTP accepted)', step.notify],
  ['end to end', step.e2e],
])}
<h3>CPU over the step</h3><table><tr><th>process</th><th>% of one core</th></tr>${cpu}</table>
<div class="charts">${charts}</div>`;
}

interface Line {
  name: string;
  color: string;
  values: (number | null)[];
}

const W = 520;
const H = 220;
const PAD = { l: 52, r: 12, t: 26, b: 30 };

/** A line chart; null values leave gaps. */
export function lineChart(title: string, xs: number[], lines: Line[], xUnit: string, markers = false): string {
  const all = lines.flatMap((l) => l.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const yMax = niceMax(all.length ? Math.max(...all) : 1);
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  const x = (v: number) => PAD.l + ((v - xMin) / (xMax - xMin || 1)) * (W - PAD.l - PAD.r);
  const y = (v: number) => H - PAD.b - (v / yMax) * (H - PAD.t - PAD.b);
  const paths = lines
    .map((line) => {
      const segments: string[] = [];
      let current: string[] = [];
      line.values.forEach((v, i) => {
        if (v === null || !Number.isFinite(v)) {
          if (current.length) segments.push(current.join(' '));
          current = [];
        } else current.push(`${x(xs[i]).toFixed(1)},${y(v).toFixed(1)}`);
      });
      if (current.length) segments.push(current.join(' '));
      const dots = markers ? line.values.map((v, i) => (v === null ? '' : `<circle cx="${x(xs[i]).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${line.color}"/>`)).join('') : '';
      return segments.map((s) => `<polyline fill="none" stroke="${line.color}" stroke-width="1.5" points="${s}"/>`).join('') + dots;
    })
    .join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y(yMax * f)}" y2="${y(yMax * f)}" stroke="#eee"/><text x="${PAD.l - 4}" y="${y(yMax * f) + 4}" text-anchor="end" font-size="10">${fmt(yMax * f)}</text>`)
    .join('');
  const xTicks = [xMin, (xMin + xMax) / 2, xMax].map((v) => `<text x="${x(v)}" y="${H - PAD.b + 14}" text-anchor="middle" font-size="10">${fmt(v)}</text>`).join('');
  const legend = lines.map((l, i) => `<rect x="${PAD.l + i * 120}" y="${H - 10}" width="10" height="3" fill="${l.color}"/><text x="${PAD.l + 14 + i * 120}" y="${H - 5}" font-size="10">${esc(l.name)}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H + 6}" role="img" aria-label="${esc(title)}"><text x="${PAD.l}" y="16" font-size="12" font-weight="600">${esc(title)}</text>${ticks}${xTicks}<text x="${W - PAD.r}" y="${H - PAD.b + 14}" text-anchor="end" font-size="10">${esc(xUnit)}</text>${paths}${legend}</svg>`;
}

export function histogramChart(title: string, h: Histogram): string {
  const labels = [...h.bounds.map((b) => `≤${fmt(b)}`), `>${fmt(h.bounds[h.bounds.length - 1])}`];
  const max = Math.max(1, ...h.counts);
  const bw = (W - PAD.l - PAD.r) / h.counts.length;
  const bars = h.counts
    .map((c, i) => {
      const height = (c / max) * (H - PAD.t - PAD.b);
      const bx = PAD.l + i * bw;
      return `<rect x="${(bx + 1).toFixed(1)}" y="${(H - PAD.b - height).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${height.toFixed(1)}" fill="#4c78a8"><title>${labels[i]} ms: ${c}</title></rect><text x="${(bx + bw / 2).toFixed(1)}" y="${H - PAD.b + 12}" text-anchor="middle" font-size="8">${labels[i]}</text>${c ? `<text x="${(bx + bw / 2).toFixed(1)}" y="${(H - PAD.b - height - 2).toFixed(1)}" text-anchor="middle" font-size="8">${c}</text>` : ''}`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="${esc(title)}"><text x="${PAD.l}" y="16" font-size="12" font-weight="600">${esc(title)} (ms)</text>${bars}</svg>`;
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function fmt(v: number): string {
  if (v >= 1000) return `${Math.round(v / 100) / 10}k`;
  return String(Math.round(v * 10) / 10);
}

function num(v: number): string {
  return Number.isFinite(v) ? String(v) : '–';
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function cls(ok: boolean, text: string): string {
  return `<span class="${ok ? 'good' : 'bad'}">${text}</span>`;
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
