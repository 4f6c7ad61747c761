import { dueCount, OpenLoopOverload, runOpenLoop } from './open-loop';

describe('open-loop sender', () => {
  it('has request i due at i / rate', () => {
    expect(dueCount(100, 0, 1000)).toBe(1);
    expect(dueCount(100, 9.9, 1000)).toBe(1);
    expect(dueCount(100, 10, 1000)).toBe(2);
    expect(dueCount(100, 1e6, 1000)).toBe(1000);
  });

  it('sends on schedule although earlier requests are still unanswered', async () => {
    const dueTimes: number[] = [];
    const result = await runOpenLoop({
      rate: 200,
      durationMs: 250,
      maxInFlight: 1000,
      send: async (_, dueAt) => {
        dueTimes.push(dueAt);
        await new Promise((r) => setTimeout(r, 400));
      },
    });
    expect(result.sent).toBe(50);
    expect(result.overload).toBeUndefined();
    // Every request went out before the first one was answered.
    expect(result.lastSentAt - result.startedAt).toBeLessThan(400);
    expect(dueTimes[49] - dueTimes[0]).toBeCloseTo(245, 0);
  });

  it('stops with a clear error when too many requests are outstanding', async () => {
    const result = await runOpenLoop({ rate: 1000, durationMs: 1000, maxInFlight: 5, send: () => new Promise((r) => setTimeout(r, 100)) });
    expect(result.overload).toBeInstanceOf(OpenLoopOverload);
    expect(result.overload!.message).toMatch(/5 requests in flight .*limit 5.*lower --rate/);
    expect(result.sent).toBe(5);
  });
});
