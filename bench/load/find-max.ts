/**
 * The search of `--find-max`: raise the rate geometrically while the SLO holds, then bisect
 * between the last rate that held and the first that broke until they are close enough.
 */
export interface FindMaxOptions {
  start: number;
  factor: number;
  /** Stop bisecting when the gap between good and bad is at most this share of good (e.g. 0.1). */
  precision: number;
  /** Never try more than this many steps in all. */
  maxSteps: number;
  /** Never try a rate above this. */
  ceiling: number;
  /** Never try a rate below this. */
  floor: number;
}

export const DEFAULT_FIND_MAX: FindMaxOptions = { start: 100, factor: 1.5, precision: 0.1, maxSteps: 10, ceiling: 5000, floor: 5 };

export interface Trial {
  rate: number;
  passed: boolean;
}

export interface SearchState {
  /** Highest rate that held, if any. */
  good?: number;
  /** Lowest rate that broke, if any. */
  bad?: number;
}

export function searchState(trials: readonly Trial[]): SearchState {
  const good = trials.filter((t) => t.passed).map((t) => t.rate);
  const bad = trials.filter((t) => !t.passed).map((t) => t.rate);
  return { good: good.length ? Math.max(...good) : undefined, bad: bad.length ? Math.min(...bad) : undefined };
}

/** The next rate to try after `trials`, or undefined when the search is over. */
export function nextRate(trials: readonly Trial[], options: FindMaxOptions = DEFAULT_FIND_MAX): number | undefined {
  if (trials.length === 0) return Math.round(options.start);
  if (trials.length >= options.maxSteps) return undefined;
  const { good, bad } = searchState(trials);
  if (bad === undefined) {
    const next = Math.round(good! * options.factor);
    return good! >= options.ceiling ? undefined : Math.min(next, options.ceiling);
  }
  // A rate that held above one that broke is noise: bisect below the lowest failure.
  const below = trials.filter((t) => t.passed && t.rate < bad).map((t) => t.rate);
  const low = below.length ? Math.max(...below) : options.floor;
  if (bad <= options.floor) return undefined;
  if (bad - low <= Math.max(1, low * options.precision)) return undefined;
  const next = Math.round((low + bad) / 2);
  if (next <= low || next >= bad) return undefined;
  if (trials.some((t) => t.rate === next)) return undefined;
  return next;
}

/** The highest rate that held below every rate that broke; 0 when none did. */
export function maxHeld(trials: readonly Trial[]): number {
  const { bad } = searchState(trials);
  const held = trials.filter((t) => t.passed && (bad === undefined || t.rate < bad)).map((t) => t.rate);
  return held.length ? Math.max(...held) : 0;
}
