import { faultsByKind, formatReport, repeatCommand, summaryRows, type ChaosReport } from './report';
import { verifyChaos } from './verify';

function sampleReport(): ChaosReport {
  const counts = verifyChaos({
    emails: [
      { token: 't1', conversationId: 'c1', from: 'bob@x.test', attempts: 2, ackedAt: 1_000 },
      { token: 't2', conversationId: 'c1', from: 'bob@x.test', attempts: 1, ackedAt: 1_100 },
    ],
    stored: [
      { token: 't1', conversationId: 'c1', author: 'bob@x.test', at: 2_000 },
      { token: 't2', conversationId: 'c1', author: 'bob@x.test', at: 2_100 },
    ],
    notifications: [
      { token: 't1', to: 'alice@x.test', at: 3_000 },
      { token: 't1', to: 'alice@x.test', at: 9_000 },
    ],
    participants: new Map([['c1', ['alice@x.test', 'bob@x.test']]]),
    faults: [{ kind: 'kill-notifier', startedAt: 4_000, recoveredAt: 8_000, downtimeMs: 2_000 }],
  });
  return {
    options: { seed: 42, rate: 50, durationS: 180, faults: 9, conversations: 30 },
    startedAt: '2026-01-01T00:00:00.000Z',
    faults: [
      { kind: 'kill-notifier', atS: 12.34, plannedAtS: 12, downtimeS: 2, recoveredAfterS: 6.5 },
      { kind: 'pause-s3', atS: 40, plannedAtS: 40, downtimeS: 5, recoveredAfterS: 5 },
    ],
    counts,
    seconds: { load: 180, drain: 20.5, total: 230 },
    deadLettered: { 'inbound-email.received.dlq': 0, 'conversation.events.dlq': 1 },
    answers: { '202': 2, 'no answer': 1 },
    evidence: [],
    serversHealthy: true,
    smtpWithoutToken: 0,
    appLog: 'reports/chaos.apps.log',
  };
}

describe('chaos report', () => {
  it('summarises counts the way the verification found them', () => {
    const rows = Object.fromEntries(summaryRows(sampleReport()));
    expect(rows['emails sent']).toBe('2');
    expect(rows['retries (non-2xx or no answer)']).toBe('1');
    expect(rows['messages stored']).toBe('2');
    expect(rows['notifications expected']).toBe('2');
    expect(rows['notifications sent']).toBe('1');
    expect(rows['notifications lost']).toBe('1');
    expect(rows['notification duplicates']).toBe('1 (1/1 in crash windows)');
    expect(rows['dead-lettered']).toBe('1');
    expect(rows.lost).toBe('1');
    expect(rows.result).toBe('FAILED');
  });

  it('prints the faults, their kinds and the command that repeats the run', () => {
    const text = formatReport(sampleReport());
    expect(text).toContain(repeatCommand(sampleReport().options));
    expect(text).toContain('--seed 42 --rate 50 --duration 180 --faults 9');
    expect(text).toMatch(/1\s+kill-notifier\s+12\.3\s+12\.0\s+2\.0\s+6\.5/);
    expect(text).toContain('by kind: kill-gateway 0, kill-relay 0, kill-notifier 1, restart-kafka 0, restart-mongo 0, pause-s3 1');
    expect(text).toMatch(/notifications lost\s+1/);
    expect(text).toMatch(/result\s+FAILED/);
  });

  it('counts faults by kind, every kind present', () => {
    expect(faultsByKind(sampleReport().faults)).toEqual({ 'kill-gateway': 0, 'kill-relay': 0, 'kill-notifier': 1, 'restart-kafka': 0, 'restart-mongo': 0, 'pause-s3': 1 });
  });
});
