import { DEFAULT_FIND_MAX, maxHeld, nextRate, Trial } from './find-max';

/** Runs the search against a system that holds any rate up to `capacity`. */
function search(capacity: number, options = DEFAULT_FIND_MAX): Trial[] {
  const trials: Trial[] = [];
  for (let rate = nextRate(trials, options); rate !== undefined; rate = nextRate(trials, options)) trials.push({ rate, passed: rate <= capacity });
  return trials;
}

describe('find-max search', () => {
  it('raises the rate by the factor while it holds, then bisects between the last good and first bad', () => {
    const trials = search(260);
    expect(trials.slice(0, 4).map((t) => t.rate)).toEqual([100, 150, 225, 338]);
    expect(trials[4].rate).toBe(282);
    expect(maxHeld(trials)).toBeGreaterThanOrEqual(240);
    expect(maxHeld(trials)).toBeLessThanOrEqual(260);
  });

  it('bisects below the start when the first rate already breaks', () => {
    const trials = search(30);
    expect(trials[0]).toEqual({ rate: 100, passed: false });
    expect(trials[1].rate).toBe(53);
    expect(maxHeld(trials)).toBeGreaterThan(20);
    expect(maxHeld(trials)).toBeLessThanOrEqual(30);
  });

  it('stops after maxSteps and at the ceiling', () => {
    expect(search(1e9, { ...DEFAULT_FIND_MAX, maxSteps: 3 })).toHaveLength(3);
    const capped = search(1e9, { ...DEFAULT_FIND_MAX, ceiling: 300 });
    expect(capped.map((t) => t.rate)).toEqual([100, 150, 225, 300]);
  });

  it('reports 0 when nothing held, and ignores a pass above a failure', () => {
    expect(maxHeld([{ rate: 100, passed: false }])).toBe(0);
    expect(maxHeld([{ rate: 100, passed: true }, { rate: 150, passed: false }, { rate: 200, passed: true }])).toBe(100);
  });
});
