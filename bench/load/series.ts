import { LatencySummary, summarize } from '../stats';

/** A latency sample taken at epoch ms `at`. */
export interface Sample {
  at: number;
  value: number;
}

/** Per-second figures of one run, second 0 being the start of sending. */
export interface SecondSeries {
  t: number[];
  p50: (number | null)[];
  p99: (number | null)[];
  count: number[];
}

/** Groups samples by the second (since `start`) they were taken in, up to `seconds`. */
export function perSecond(samples: readonly Sample[], start: number, seconds: number): SecondSeries {
  const buckets: number[][] = Array.from({ length: Math.max(0, seconds) }, () => []);
  for (const s of samples) {
    const second = Math.floor((s.at - start) / 1000);
    if (second >= 0 && second < buckets.length) buckets[second].push(s.value);
  }
  const summaries = buckets.map((b) => (b.length ? summarize(b) : undefined));
  return {
    t: buckets.map((_, i) => i),
    p50: summaries.map((s) => s?.p50 ?? null),
    p99: summaries.map((s) => s?.p99 ?? null),
    count: buckets.map((b) => b.length),
  };
}

export interface Histogram {
  /** Upper bounds in ms of each bucket; the last bucket is everything above the last bound. */
  bounds: number[];
  counts: number[];
}

export const HISTOGRAM_BOUNDS = [5, 10, 20, 50, 100, 200, 300, 500, 750, 1000, 2000, 5000, 10000, 30000];

export function histogram(values: readonly number[], bounds: readonly number[] = HISTOGRAM_BOUNDS): Histogram {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  for (const v of values) {
    const i = bounds.findIndex((b) => v <= b);
    counts[i < 0 ? bounds.length : i]++;
  }
  return { bounds: [...bounds], counts };
}

/** p99 of the samples taken in the last `windowMs` before `now`. */
export function recentP99(samples: readonly Sample[], now: number, windowMs: number): number | null {
  const recent: number[] = [];
  for (let i = samples.length - 1; i >= 0 && samples[i].at >= now - windowMs; i--) recent.push(samples[i].value);
  return recent.length ? summarize(recent).p99 : null;
}

export type { LatencySummary };
