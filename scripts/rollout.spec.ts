import { DomainError, ErrorCategory } from '@libs/contracts';
import { InMemoryRolloutStore } from '../libs/legacy-bridge/src/rollout/infrastructure/in-memory-rollout.store';
import { RolloutCliContext, UsageError, parseRolloutArgs, runRolloutCommand } from './rollout';

const now = new Date('2030-01-02T03:04:05Z');

function expectUsageProblem(argv: string[], message: RegExp): void {
  let error: unknown;
  try {
    parseRolloutArgs(argv);
  } catch (e) {
    error = e;
  }
  expect(error instanceof UsageError || (error instanceof DomainError && error.category === ErrorCategory.Invalid)).toBe(true);
  expect((error as Error).message).toMatch(message);
}

describe('npm run rollout -- …: arguments', () => {
  it('list, set, rollback, help', () => {
    expect(parseRolloutArgs(['list'])).toEqual({ kind: 'list' });
    expect(parseRolloutArgs(['set', 'Jobs', 'parallel', '10'])).toEqual({ kind: 'set', useCase: 'jobs', mode: 'PARALLEL', percent: 10, shadow: false, by: null });
    expect(parseRolloutArgs(['set', 'jobs', 'LEGACY_ONLY', '0', '--shadow', '--by', 'ops-oncall'])).toEqual({ kind: 'set', useCase: 'jobs', mode: 'LEGACY_ONLY', percent: 0, shadow: true, by: 'ops-oncall' });
    expect(parseRolloutArgs(['rollback', ' Jobs '])).toEqual({ kind: 'rollback', useCase: 'jobs', by: null });
    expect(parseRolloutArgs(['--help'])).toEqual({ kind: 'help' });
  });

  it('names the problem: the same validation as the setRollout mutation', () => {
    expectUsageProblem([], /^missing command/);
    expectUsageProblem(['promote', 'jobs'], /^unknown command "promote"/);
    expectUsageProblem(['set', 'jobs', 'PARALLEL'], /^set: expected <useCase> <mode> <percent>, got "jobs" "PARALLEL"/);
    expectUsageProblem(['set', 'jobs', 'HALF', '10'], /^mode: expected one of LEGACY_ONLY, PARALLEL, NEW_ONLY, got "HALF"/);
    expectUsageProblem(['set', 'jobs', 'PARALLEL', 'ten'], /^percent: expected a whole number from 0 to 100, got "ten"/);
    expectUsageProblem(['set', 'jobs', 'PARALLEL', '101'], /^percent: .* got 101/);
    expectUsageProblem(['set', 'jobs', 'PARALLEL', '1.5'], /^percent: /);
    expectUsageProblem(['set', 'job application', 'PARALLEL', '10'], /^useCase: expected 1 to 100 letters/);
    expectUsageProblem(['rollback'], /^rollback: expected <useCase>, got nothing/);
    expectUsageProblem(['rollback', 'jobs', '--shadow'], /^rollback: --shadow is not an option/);
    expectUsageProblem(['list', '--verbose'], /Unknown option '--verbose'/);
  });
});

describe('npm run rollout -- …: commands', () => {
  let store: InMemoryRolloutStore;
  let context: RolloutCliContext;

  beforeEach(() => {
    store = new InMemoryRolloutStore();
    context = { store, defaultActor: 'cli:jane', now: () => now };
  });

  const run = (argv: string[]) => {
    const command = parseRolloutArgs(argv);
    if (command.kind === 'help') throw new Error('unexpected help');
    return runRolloutCommand(command, context);
  };

  it('set: stores the rollout and prints a one-line summary and the reminder', async () => {
    expect(await run(['set', 'jobs', 'PARALLEL', '10', '--shadow'])).toEqual([
      'jobs: (none) → PARALLEL 10% +shadow (set by cli:jane)',
      'Running apps pick this up within ROLLOUT_REFRESH_MS (default 1000 ms), without a restart.',
    ]);
    expect(await store.get('jobs')).toEqual({ useCase: 'jobs', mode: 'PARALLEL', percent: 10, shadow: true, updatedAt: now, updatedBy: 'cli:jane' });
    context.refreshMs = '500';
    expect(await run(['set', 'jobs', 'NEW_ONLY', '50', '--by', 'ops'])).toEqual([
      'jobs: PARALLEL 10% +shadow → NEW_ONLY 50% (set by ops)',
      'Running apps pick this up within ROLLOUT_REFRESH_MS (500 ms here), without a restart.',
    ]);
  });

  it('rollback: LEGACY_ONLY, percent and shadow kept; works for a use case never set', async () => {
    await run(['set', 'jobs', 'NEW_ONLY', '30', '--shadow']);
    expect((await run(['rollback', 'jobs']))[0]).toBe('jobs: NEW_ONLY 30% +shadow → LEGACY_ONLY 30% +shadow (rolled back by cli:jane)');
    expect(await store.get('jobs')).toMatchObject({ mode: 'LEGACY_ONLY', percent: 30, shadow: true });
    expect((await run(['rollback', 'support']))[0]).toBe('support: (none) → LEGACY_ONLY 100% (rolled back by cli:jane)');
  });

  it('list: one line per rollout, or what applies when there is none', async () => {
    expect(await run(['list'])).toEqual(['No rollouts stored: every use case takes LEGACY_DEFAULT_MODE (default NEW_ONLY).']);
    await run(['set', 'support', 'NEW_ONLY', '100']);
    await run(['set', 'default', 'PARALLEL', '5']);
    const lines = await run(['list']);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^default +PARALLEL 5% +updated 2030-01-02T03:04:05.000Z by cli:jane$/);
    expect(lines[1]).toMatch(/^support +NEW_ONLY 100% +updated/);
  });
});
