/**
 * The fault plan of a chaos run: which faults, when, and for how long, derived from a seed alone
 * so that a run can be repeated (`--seed`).
 */
import { seededRandom } from '../load/random';

/** SIGKILLs of the apps; graceful restarts of Kafka and the database; a hang (SIGSTOP) of S3. */
export const FAULT_KINDS = ['kill-gateway', 'kill-relay', 'kill-notifier', 'restart-kafka', 'restart-mongo', 'pause-s3'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export function isFaultKind(value: string): value is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(value);
}

/** How long a fault keeps its target away, and how long the target takes to come back after it. */
export interface FaultTiming {
  /** Range of the random time the target stays down (killed, stopped or paused), in ms. */
  downtimeMs: readonly [number, number];
  /** Time to allow after the downtime for the target to answer again (start-up, stop, restart). */
  recoveryMs: number;
}

export const DEFAULT_TIMINGS: Record<FaultKind, FaultTiming> = {
  'kill-gateway': { downtimeMs: [500, 4_000], recoveryMs: 6_000 },
  'kill-relay': { downtimeMs: [500, 4_000], recoveryMs: 6_000 },
  'kill-notifier': { downtimeMs: [500, 4_000], recoveryMs: 6_000 },
  'restart-kafka': { downtimeMs: [1_000, 5_000], recoveryMs: 15_000 },
  'restart-mongo': { downtimeMs: [1_000, 5_000], recoveryMs: 10_000 },
  'pause-s3': { downtimeMs: [3_000, 10_000], recoveryMs: 1_000 },
};

export interface PlannedFault {
  kind: FaultKind;
  /** From the start of the load, in ms. */
  atMs: number;
  downtimeMs: number;
}

export interface PlanOptions {
  seed: number;
  /** Length of the load, in ms. */
  durationMs: number;
  /** Total number of faults; each kind of `kinds` occurs at least once, so at least `kinds.length`. */
  faults: number;
  /** No fault before this (steady load first), in ms. */
  warmupMs?: number;
  /** No fault may still be recovering this close to the end of the load, in ms. */
  tailMs?: number;
  kinds?: readonly FaultKind[];
  timings?: Record<FaultKind, FaultTiming>;
}

/**
 * Every kind once (then random kinds up to `faults`), in a shuffled order, one after the other:
 * a fault starts only once the previous one had time to recover, and the idle time of the run is
 * split at random between the gaps. Throws when the run is too short to hold them all.
 */
export function planFaults(options: PlanOptions): PlannedFault[] {
  const kinds = options.kinds ?? FAULT_KINDS;
  const timings = options.timings ?? DEFAULT_TIMINGS;
  const warmup = options.warmupMs ?? 10_000;
  const tail = options.tailMs ?? 10_000;
  if (kinds.length === 0) throw new Error('no fault kinds to plan');
  if (options.faults < kinds.length) throw new Error(`${options.faults} faults cannot include each of the ${kinds.length} kinds`);
  const random = seededRandom(options.seed);

  const chosen: FaultKind[] = [...kinds];
  while (chosen.length < options.faults) chosen.push(kinds[Math.floor(random() * kinds.length)]);
  for (let i = chosen.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [chosen[i], chosen[j]] = [chosen[j], chosen[i]];
  }

  const drafted = chosen.map((kind) => {
    const [low, high] = timings[kind].downtimeMs;
    const downtimeMs = Math.round(low + random() * (high - low));
    return { kind, downtimeMs, busyMs: downtimeMs + timings[kind].recoveryMs };
  });
  const window = options.durationMs - warmup - tail;
  const busy = drafted.reduce((sum, f) => sum + f.busyMs, 0);
  if (busy > window) {
    throw new Error(
      `${drafted.length} faults need about ${Math.ceil(busy / 1000)} s between the warm-up and the tail, but the run leaves ${Math.floor(window / 1000)} s: ` +
        `raise the duration or lower the number of faults`,
    );
  }

  // Random weights for the n+1 gaps (before the first fault, between faults, after the last).
  const weights = Array.from({ length: drafted.length + 1 }, () => random() + 0.05);
  const total = weights.reduce((a, b) => a + b, 0);
  const idle = window - busy;
  let at = warmup;
  return drafted.map((fault, i) => {
    at += Math.floor((idle * weights[i]) / total);
    const planned = { kind: fault.kind, atMs: at, downtimeMs: fault.downtimeMs };
    at += fault.busyMs;
    return planned;
  });
}

/** A fresh seed for a run that was given none (printed, so the run can be repeated). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}
