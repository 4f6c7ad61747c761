import { DEFAULT_TIMINGS, FAULT_KINDS, planFaults } from './schedule';

describe('planFaults', () => {
  const base = { durationMs: 180_000, faults: 9, warmupMs: 10_000, tailMs: 10_000 };

  it('is a function of the seed', () => {
    expect(planFaults({ ...base, seed: 7 })).toEqual(planFaults({ ...base, seed: 7 }));
    expect(planFaults({ ...base, seed: 7 })).not.toEqual(planFaults({ ...base, seed: 8 }));
  });

  it.each([1, 2, 3, 99, 123456])('with seed %i: every kind at least once, in order, without overlap, inside the window', (seed) => {
    const plan = planFaults({ ...base, seed });
    expect(plan).toHaveLength(9);
    for (const kind of FAULT_KINDS) expect(plan.some((f) => f.kind === kind)).toBe(true);
    expect(plan[0].atMs).toBeGreaterThanOrEqual(10_000);
    for (let i = 1; i < plan.length; i++) {
      const previous = plan[i - 1];
      expect(plan[i].atMs).toBeGreaterThanOrEqual(previous.atMs + previous.downtimeMs + DEFAULT_TIMINGS[previous.kind].recoveryMs);
    }
    const last = plan[plan.length - 1];
    expect(last.atMs + last.downtimeMs + DEFAULT_TIMINGS[last.kind].recoveryMs).toBeLessThanOrEqual(170_000);
    for (const f of plan) {
      const [low, high] = DEFAULT_TIMINGS[f.kind].downtimeMs;
      expect(f.downtimeMs).toBeGreaterThanOrEqual(low);
      expect(f.downtimeMs).toBeLessThanOrEqual(high);
    }
  });

  it('plans only the kinds asked for', () => {
    const plan = planFaults({ ...base, seed: 5, faults: 4, kinds: ['kill-relay', 'pause-s3'] });
    expect(new Set(plan.map((f) => f.kind))).toEqual(new Set(['kill-relay', 'pause-s3']));
  });

  it('refuses fewer faults than kinds, and a run too short to hold them', () => {
    expect(() => planFaults({ ...base, seed: 1, faults: 3 })).toThrow(/each of the 6 kinds/);
    expect(() => planFaults({ ...base, seed: 1, durationMs: 40_000 })).toThrow(/raise the duration/);
  });
});
