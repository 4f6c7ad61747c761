import { DomainError, ErrorCategory } from '@libs/contracts';
import {
  DEFAULT_USE_CASE,
  Rollout,
  RolloutErrorCode,
  RolloutMode,
  bucketOf,
  createRollout,
  describeRollout,
  effectiveMode,
  normalizeUseCase,
  parseRolloutMode,
  shadowFor,
  useCaseKeyOf,
  validatePercent,
} from './rollout';

/** Reproducible "random" conversation ids (UUID-shaped), so the statistical checks never flake. */
function pseudoRandomIds(count: number, seed: number): string[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0).toString(16).padStart(8, '0');
  };
  return Array.from({ length: count }, () => {
    const h = next() + next() + next() + next();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  });
}

const rollout = (mode: RolloutMode, percent: number, shadow = false): Rollout => ({ useCase: 'jobs', mode, percent, shadow, updatedAt: new Date(0), updatedBy: null });

/** Conversation ids whose buckets are known (bucketOf is pinned by the first test). */
const IN_BUCKET = { 0: 'c147', 9: 'c9', 10: 'c5', 49: 'c233', 50: 'c58', 99: 'c112' } as const;

function expectInvalid(fn: () => unknown, code: RolloutErrorCode, message: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).category).toBe(ErrorCategory.Invalid);
    expect((error as DomainError).code).toBe(code);
    expect((error as DomainError).message).toMatch(message);
    return;
  }
  throw new Error('expected a DomainError');
}

describe('bucketOf', () => {
  it('is pinned: the same conversation lands in the same bucket in every process, forever', () => {
    // Changing the hashing would move live conversations between systems mid-rollout.
    expect(bucketOf('conversation-1')).toBe(98);
    expect(bucketOf('65f0c0ffee0000000000abcd')).toBe(61);
    for (const [bucket, id] of Object.entries(IN_BUCKET)) expect(bucketOf(id)).toBe(Number(bucket));
  });

  it('is deterministic and within 0..99', () => {
    for (const id of pseudoRandomIds(1_000, 1)) {
      const bucket = bucketOf(id);
      expect(Number.isInteger(bucket) && bucket >= 0 && bucket <= 99).toBe(true);
      expect(bucketOf(id)).toBe(bucket);
    }
  });

  it('is uniform: 10,000 ids put 100 ± 40 in each bucket', () => {
    const counts = new Array<number>(100).fill(0);
    for (const id of pseudoRandomIds(10_000, 42)) counts[bucketOf(id)]++;
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(60);
    expect(Math.max(...counts)).toBeLessThanOrEqual(140);
    // Chi-squared with 99 degrees of freedom: the 99.9th percentile is about 149.
    const chiSquared = counts.reduce((sum, c) => sum + (c - 100) ** 2 / 100, 0);
    expect(chiSquared).toBeLessThan(149);
  });

  it('a 10% rollout takes about 100 of 1,000 conversations (± 30)', () => {
    for (const seed of [7, 8, 9]) {
      const ids = pseudoRandomIds(1_000, seed);
      const taken = ids.filter((id) => effectiveMode(rollout('PARALLEL', 10), id, 'NEW_ONLY') === 'PARALLEL').length;
      expect(taken).toBeGreaterThanOrEqual(70);
      expect(taken).toBeLessThanOrEqual(130);
    }
  });

  it('raising the percentage only adds conversations; none switches back', () => {
    const ids = pseudoRandomIds(2_000, 3);
    let previous = new Set<string>();
    for (const percent of [0, 1, 5, 10, 25, 50, 99, 100]) {
      const taken = new Set(ids.filter((id) => effectiveMode(rollout('NEW_ONLY', percent), id, 'LEGACY_ONLY') === 'NEW_ONLY'));
      for (const id of previous) expect(taken.has(id)).toBe(true);
      previous = taken;
    }
    expect(previous.size).toBe(ids.length);
  });
});

describe('effectiveMode', () => {
  it.each<[string, Rollout | null, keyof typeof IN_BUCKET, RolloutMode, RolloutMode]>([
    ['no rollout → fallback NEW_ONLY', null, 0, 'NEW_ONLY', 'NEW_ONLY'],
    ['no rollout → fallback LEGACY_ONLY', null, 99, 'LEGACY_ONLY', 'LEGACY_ONLY'],
    ['no rollout → fallback PARALLEL', null, 50, 'PARALLEL', 'PARALLEL'],
    ['PARALLEL 10%, bucket 0 → PARALLEL', rollout('PARALLEL', 10), 0, 'NEW_ONLY', 'PARALLEL'],
    ['PARALLEL 10%, bucket 9 → PARALLEL', rollout('PARALLEL', 10), 9, 'NEW_ONLY', 'PARALLEL'],
    ['PARALLEL 10%, bucket 10 → LEGACY_ONLY', rollout('PARALLEL', 10), 10, 'NEW_ONLY', 'LEGACY_ONLY'],
    ['NEW_ONLY 50%, bucket 49 → NEW_ONLY', rollout('NEW_ONLY', 50), 49, 'LEGACY_ONLY', 'NEW_ONLY'],
    ['NEW_ONLY 50%, bucket 50 → LEGACY_ONLY', rollout('NEW_ONLY', 50), 50, 'NEW_ONLY', 'LEGACY_ONLY'],
    ['NEW_ONLY 100%, bucket 99 → NEW_ONLY', rollout('NEW_ONLY', 100), 99, 'LEGACY_ONLY', 'NEW_ONLY'],
    ['NEW_ONLY 0%, bucket 0 → LEGACY_ONLY', rollout('NEW_ONLY', 0), 0, 'NEW_ONLY', 'LEGACY_ONLY'],
    ['PARALLEL 0%, bucket 0 → LEGACY_ONLY', rollout('PARALLEL', 0), 0, 'NEW_ONLY', 'LEGACY_ONLY'],
    ['LEGACY_ONLY 100% (rollback), bucket 0 → LEGACY_ONLY', rollout('LEGACY_ONLY', 100), 0, 'NEW_ONLY', 'LEGACY_ONLY'],
    ['LEGACY_ONLY 30%, bucket 99 → LEGACY_ONLY', rollout('LEGACY_ONLY', 30), 99, 'NEW_ONLY', 'LEGACY_ONLY'],
  ])('%s', (_name, r, bucket, fallback, expected) => {
    expect(effectiveMode(r, IN_BUCKET[bucket], fallback)).toBe(expected);
  });
});

describe('shadowFor', () => {
  it('is true only when the rollout asks for it and the conversation stays on the legacy system', () => {
    expect(shadowFor(rollout('PARALLEL', 10, true), IN_BUCKET[50])).toBe(true);
    expect(shadowFor(rollout('PARALLEL', 10, true), IN_BUCKET[0])).toBe(false);
    expect(shadowFor(rollout('LEGACY_ONLY', 100, true), IN_BUCKET[0])).toBe(true);
    expect(shadowFor(rollout('NEW_ONLY', 100, true), IN_BUCKET[99])).toBe(false);
    expect(shadowFor(rollout('PARALLEL', 10, false), IN_BUCKET[50])).toBe(false);
    expect(shadowFor(null, IN_BUCKET[50])).toBe(false);
  });
});

describe('validation', () => {
  it('use cases: trimmed, lower-cased, [a-z0-9._-]{1,100}', () => {
    expect(normalizeUseCase('  Job-Application_2.b ')).toBe('job-application_2.b');
    expect(normalizeUseCase('a'.repeat(100))).toBe('a'.repeat(100));
    expectInvalid(() => normalizeUseCase(''), RolloutErrorCode.InvalidUseCase, /^useCase: expected 1 to 100 letters, digits/);
    expectInvalid(() => normalizeUseCase('   '), RolloutErrorCode.InvalidUseCase, /got "   "/);
    expectInvalid(() => normalizeUseCase('job application'), RolloutErrorCode.InvalidUseCase, /got "job application"/);
    expectInvalid(() => normalizeUseCase('jobs/*'), RolloutErrorCode.InvalidUseCase, /useCase/);
    expectInvalid(() => normalizeUseCase('a'.repeat(101)), RolloutErrorCode.InvalidUseCase, /useCase/);
    expectInvalid(() => normalizeUseCase('é'), RolloutErrorCode.InvalidUseCase, /useCase/);
    expectInvalid(() => normalizeUseCase(42), RolloutErrorCode.InvalidUseCase, /useCase: expected a string/);
  });

  it('lookups: no use case is `default`; never throws', () => {
    expect(useCaseKeyOf(null)).toBe(DEFAULT_USE_CASE);
    expect(useCaseKeyOf(undefined)).toBe('default');
    expect(useCaseKeyOf('  ')).toBe('default');
    expect(useCaseKeyOf(' Jobs ')).toBe('jobs');
    expect(useCaseKeyOf('Job Application')).toBe('job application');
  });

  it('modes: the three names, any case', () => {
    expect(parseRolloutMode('PARALLEL')).toBe('PARALLEL');
    expect(parseRolloutMode(' new_only ')).toBe('NEW_ONLY');
    expectInvalid(() => parseRolloutMode('HALF'), RolloutErrorCode.InvalidMode, /^mode: expected one of LEGACY_ONLY, PARALLEL, NEW_ONLY, got "HALF"/);
    expectInvalid(() => parseRolloutMode(undefined), RolloutErrorCode.InvalidMode, /mode/);
  });

  it('percent: a whole number from 0 to 100', () => {
    for (const ok of [0, 1, 50, 100]) expect(validatePercent(ok)).toBe(ok);
    for (const bad of [-1, 101, 10.5, NaN, Infinity, '10', null]) {
      expectInvalid(() => validatePercent(bad), RolloutErrorCode.InvalidPercent, /^percent: expected a whole number from 0 to 100/);
    }
  });

  it('createRollout: normalises, defaults shadow to false, records who and when', () => {
    const now = new Date('2030-01-02T03:04:05Z');
    expect(createRollout({ useCase: ' Jobs ', mode: 'parallel', percent: 10 }, ' admin@example.com ', now)).toEqual({
      useCase: 'jobs',
      mode: 'PARALLEL',
      percent: 10,
      shadow: false,
      updatedAt: now,
      updatedBy: 'admin@example.com',
    });
    expect(createRollout({ useCase: 'jobs', mode: 'LEGACY_ONLY', percent: 0, shadow: true }, null, now)).toMatchObject({ shadow: true, updatedBy: null });
    expect(createRollout({ useCase: 'jobs', mode: 'LEGACY_ONLY', percent: 0, shadow: null }, '  ', now)).toMatchObject({ shadow: false, updatedBy: null });
    expectInvalid(() => createRollout({ useCase: 'jobs', mode: 'NEW_ONLY', percent: 101 }, null), RolloutErrorCode.InvalidPercent, /percent/);
    expectInvalid(() => createRollout({ useCase: 'jobs', mode: 'NEW_ONLY', percent: 1, shadow: 'yes' as never }, null), RolloutErrorCode.InvalidShadow, /^shadow: expected true or false/);
  });

  it('describeRollout', () => {
    expect(describeRollout(null)).toBe('(none)');
    expect(describeRollout(rollout('PARALLEL', 10))).toBe('PARALLEL 10%');
    expect(describeRollout(rollout('LEGACY_ONLY', 100, true))).toBe('LEGACY_ONLY 100% +shadow');
  });
});
