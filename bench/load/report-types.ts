import { LatencySummary } from '../stats';
import { Histogram, SecondSeries } from './series';

/** The figures of one load step at one target rate. */
export interface StepReport {
  rate: number;
  durationS: number;
  /** Acknowledged emails per second over the sending window. */
  achievedRate: number;
  sent: number;
  acked: number;
  errors: number;
  errorsByKind: Record<string, number>;
  /** Set when the open-loop sender stopped because too many requests were outstanding. */
  overload?: string;
  /** Fully notified messages per second, from the first send to the last notification. */
  throughput: number;
  /** Stored messages per second, from the first send to the last stored message. */
  throughputStored: number;
  lost: number;
  duplicates: number;
  verification: {
    notStored: number;
    notNotified: number;
    missingNotifications: number;
    expectedNotifications: number;
    duplicateStored: number;
    duplicateNotifications: number;
    unexpectedNotifications: number;
    storedWithoutAck: number;
    lostExamples: string[];
  };
  ingress: LatencySummary;
  relay: LatencySummary;
  /** Stored → appended to conversation.events (the outbox publisher). */
  publish: LatencySummary;
  /** Stored → notification accepted by SMTP (publisher, Kafka, notifier, SMTP). */
  notify: LatencySummary;
  e2e: LatencySummary;
  /** Sender's worst lag behind its schedule (ms): large values mean the bench itself was starved. */
  senderMaxLagMs: number;
  series: {
    /** Acknowledgements, stored messages and notifications per second. */
    acked: number[];
    stored: number[];
    notified: number[];
    ingress: SecondSeries;
    relay: SecondSeries;
    e2e: SecondSeries;
  };
  histograms: { ingress: Histogram; relay: Histogram; e2e: Histogram };
  /** CPU of each process over the step, in % of one core. */
  cpu: Record<string, number>;
  slo: { passed: boolean; reasons: string[] };
}

export interface BaselineReport {
  durationS: number;
  concurrency: number;
  completed: number;
  /** Emails per second through S3 put, Kafka produce/consume, MongoDB insert and one SMTP send. */
  throughput: number;
  /** S3 put → SMTP accepted, per email. */
  latency: LatencySummary;
  /** Where an email's time goes: each call, and Kafka produce-ack → consumed. */
  stages: { s3Put: LatencySummary; produce: LatencySummary; queue: LatencySummary; insert: LatencySummary; smtp: LatencySummary };
}

export interface BenchReport {
  mode: 'fixed' | 'find-max';
  rate: number;
  throughput: number;
  lost: number;
  duplicates: number;
  errors: number;
  ingress: LatencySummary;
  relay: LatencySummary;
  e2e: LatencySummary;
  baseline: BaselineReport | null;
  /** throughput / baseline.throughput; null without a baseline. */
  ratio: number | null;
  findMax?: { maxRate: number; slo: string; trials: { rate: number; passed: boolean; reasons: string[] }[] };
  steps: StepReport[];
  settings: Record<string, unknown>;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; platform: string; node: string };
  commit: string;
  timestamp: string;
}
