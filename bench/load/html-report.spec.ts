import { summarize } from '../stats';
import { renderHtml } from './html-report';
import { BenchReport, StepReport } from './report-types';
import { histogram, perSecond } from './series';

function step(rate: number, passed: boolean): StepReport {
  const samples = [{ at: 1000, value: 20 }, { at: 1500, value: 40 }, { at: 2100, value: 900 }];
  const s = summarize(samples.map((x) => x.value));
  const series = perSecond(samples, 1000, 3);
  return {
    rate, durationS: 3, achievedRate: rate, sent: 3, acked: 3, errors: 0, errorsByKind: {}, throughput: rate, throughputStored: rate, lost: passed ? 0 : 2, duplicates: 0,
    verification: { notStored: 0, notNotified: 0, missingNotifications: 0, expectedNotifications: 3, duplicateStored: 0, duplicateNotifications: 0, unexpectedNotifications: 0, storedWithoutAck: 0, lostExamples: [] },
    ingress: s, relay: s, publish: s, notify: s, e2e: s, senderMaxLagMs: 1,
    series: { acked: [2, 1, 0], stored: [1, 2, 0], notified: [0, 2, 1], ingress: series, relay: series, e2e: series },
    histograms: { ingress: histogram([20, 40, 900]), relay: histogram([]), e2e: histogram([5000]) },
    cpu: { relay: 80, gateway: 20 }, slo: { passed, reasons: passed ? [] : ['2 lost <b>'] },
  };
}

const report = (mode: 'fixed' | 'find-max'): BenchReport => {
  const steps = mode === 'fixed' ? [step(230, true)] : [step(100, true), step(150, false)];
  return {
    mode, rate: steps[0].rate, throughput: 99, lost: 0, duplicates: 0, errors: 0, ingress: steps[0].ingress, relay: steps[0].relay, e2e: steps[0].e2e,
    baseline: null, ratio: null, steps, settings: {},
    findMax: mode === 'find-max' ? { maxRate: 100, slo: 'e2e p99 < 1000 ms', trials: [{ rate: 100, passed: true, reasons: [] }, { rate: 150, passed: false, reasons: ['2 lost'] }] } : undefined,
    machine: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 8, platform: 'linux x64', node: 'v20' }, commit: 'abcdef0123456789', timestamp: '2026-01-01T00:00:00.000Z',
  };
};

describe('renderHtml', () => {
  it('renders a self-contained page with latency-over-time charts and histograms as inline SVG', () => {
    const html = renderHtml(report('fixed'));
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('Load at 230 emails/s');
    expect((html.match(/<svg /g) ?? []).length).toBe(7);
    expect(html).toContain('end-to-end latency (ms)');
    expect(html).toContain('<polyline');
    expect(html).not.toMatch(/<script|<link|src=|@import|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('shows each find-max step and escapes text from the run', () => {
    const html = renderHtml(report('find-max'));
    expect(html).toContain('Highest rate that held: <b>100 emails/s</b>');
    expect(html).toContain('Step 2: 150 emails/s');
    expect(html).toContain('2 lost &lt;b&gt;');
    expect(html).not.toContain('2 lost <b>');
  });
});
