import { Logger } from '@nestjs/common';
import { CommandBus, CqrsModule, QueryBus } from '@nestjs/cqrs';
import { Test, TestingModule } from '@nestjs/testing';
import { DomainError, ErrorCategory } from '@libs/contracts';
import { InMemoryRolloutStore } from '../infrastructure/in-memory-rollout.store';
import { Rollout, RolloutErrorCode } from '../rollout';
import { RolloutModule } from '../rollout.module';
import { RolloutRegistry } from '../rollout.registry';
import { GetRolloutQuery, ListRolloutsQuery } from './rollout.queries';
import { SetRolloutCommand } from './set-rollout.command';

/** Bucket 0 and bucket 99 (pinned in rollout.spec.ts). */
const LOW = 'c147';
const HIGH = 'c112';

describe('SetRolloutCommand, ListRolloutsQuery, GetRolloutQuery (RolloutModule on an in-memory store)', () => {
  let store: InMemoryRolloutStore;
  let moduleRef: TestingModule;
  let commands: CommandBus;
  let queries: QueryBus;
  let registry: RolloutRegistry;
  let log: jest.SpyInstance;

  beforeEach(async () => {
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    store = new InMemoryRolloutStore();
    // A long refresh interval: only the command can make the change visible this quickly.
    moduleRef = await Test.createTestingModule({ imports: [CqrsModule.forRoot(), RolloutModule.withStore(store, { refreshMs: 60_000, fallbackMode: 'LEGACY_ONLY' })] }).compile();
    await moduleRef.init();
    commands = moduleRef.get(CommandBus);
    queries = moduleRef.get(QueryBus);
    registry = moduleRef.get(RolloutRegistry);
  });

  afterEach(async () => {
    await moduleRef.close();
    jest.restoreAllMocks();
  });

  it('validates, saves, and is live in this process at once; logs who changed what from what', async () => {
    expect(registry.modeFor('jobs', LOW)).toBe('LEGACY_ONLY');
    const saved: Rollout = await commands.execute(new SetRolloutCommand({ useCase: ' Jobs ', mode: 'PARALLEL', percent: 10 }, 'admin@example.com'));
    expect(saved).toEqual({ useCase: 'jobs', mode: 'PARALLEL', percent: 10, shadow: false, updatedAt: expect.any(Date), updatedBy: 'admin@example.com' });
    expect(await store.get('jobs')).toEqual(saved);
    expect(registry.modeFor('jobs', LOW)).toBe('PARALLEL');
    expect(registry.modeFor('jobs', HIGH)).toBe('LEGACY_ONLY');
    expect(log).toHaveBeenCalledWith('Rollout jobs set by admin@example.com: (none) → PARALLEL 10%');

    await commands.execute(new SetRolloutCommand({ useCase: 'jobs', mode: 'LEGACY_ONLY', percent: 10, shadow: true }, null));
    expect(registry.modeFor('jobs', LOW)).toBe('LEGACY_ONLY');
    expect(registry.shadowFor('jobs', LOW)).toBe(true);
    expect(log).toHaveBeenCalledWith('Rollout jobs set by an unknown actor: PARALLEL 10% → LEGACY_ONLY 10% +shadow');
  });

  it('refuses invalid input with a DomainError (Invalid) and stores nothing', async () => {
    for (const [input, code] of [
      [{ useCase: 'job application', mode: 'PARALLEL', percent: 10 }, RolloutErrorCode.InvalidUseCase],
      [{ useCase: 'jobs', mode: 'HALF', percent: 10 }, RolloutErrorCode.InvalidMode],
      [{ useCase: 'jobs', mode: 'PARALLEL', percent: 101 }, RolloutErrorCode.InvalidPercent],
    ] as const) {
      const error = await commands.execute(new SetRolloutCommand(input, 'admin@example.com')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ category: ErrorCategory.Invalid, code });
    }
    expect(await store.list()).toEqual([]);
  });

  it('a store that fails: the error reaches the caller and nothing changes in the registry', async () => {
    store.failWith = new Error('connection refused');
    await expect(commands.execute(new SetRolloutCommand({ useCase: 'jobs', mode: 'NEW_ONLY', percent: 100 }, 'admin@example.com'))).rejects.toThrow('connection refused');
    expect(registry.modeFor('jobs', LOW)).toBe('LEGACY_ONLY');
  });

  it('lists and gets what is stored', async () => {
    await commands.execute(new SetRolloutCommand({ useCase: 'support', mode: 'NEW_ONLY', percent: 100 }, 'a@example.com'));
    await commands.execute(new SetRolloutCommand({ useCase: 'default', mode: 'PARALLEL', percent: 5, shadow: true }, 'a@example.com'));
    expect((await queries.execute(new ListRolloutsQuery())).map((r) => `${r.useCase} ${r.mode} ${r.percent}`)).toEqual(['default PARALLEL 5', 'support NEW_ONLY 100']);
    expect(await queries.execute(new GetRolloutQuery(' Support '))).toMatchObject({ useCase: 'support', mode: 'NEW_ONLY' });
    expect(await queries.execute(new GetRolloutQuery('jobs'))).toBeNull();
    await expect(queries.execute(new GetRolloutQuery('no such/name'))).rejects.toMatchObject({ category: ErrorCategory.Invalid });
  });
});
