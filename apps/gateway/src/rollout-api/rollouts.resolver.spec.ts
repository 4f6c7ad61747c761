import { Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { Test } from '@nestjs/testing';
import { printSchema } from 'graphql';
import { Principal } from '@libs/auth';
import { ErrorCategory } from '@libs/contracts';
import { InMemoryRolloutStore, RolloutModule, RolloutRegistry } from '@libs/legacy-bridge';
import { ADMIN_ONLY } from '../graphql/auth/admin-only.decorator';
import { GraphqlValidationPipe } from '../graphql/validation/graphql-validation.pipe';
import { RolloutInput, RolloutModeEnum } from './rollout.types';
import { RolloutsResolver } from './rollouts.resolver';

const admin: Principal = { accountId: 'acc-1', email: 'admin@example.com', roles: ['admin'], isAdmin: true };

describe('RolloutsResolver', () => {
  let store: InMemoryRolloutStore;
  let resolver: RolloutsResolver;
  let registry: RolloutRegistry;

  beforeEach(async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    store = new InMemoryRolloutStore();
    // The real handlers and CQRS buses, on the in-memory store.
    const moduleRef = await Test.createTestingModule({
      imports: [CqrsModule.forRoot(), RolloutModule.withStore(store, { refreshMs: 60_000 })],
      providers: [RolloutsResolver],
    }).compile();
    await moduleRef.init();
    resolver = moduleRef.get(RolloutsResolver);
    registry = moduleRef.get(RolloutRegistry);
  });

  afterEach(() => jest.restoreAllMocks());

  it('setRollout: validates and stores through the command, records the admin, is live at once', async () => {
    const result = await resolver.setRollout(admin, { useCase: ' Jobs ', mode: RolloutModeEnum.PARALLEL, percent: 25, shadow: null });
    expect(result).toEqual({ useCase: 'jobs', mode: 'PARALLEL', percent: 25, shadow: false, updatedAt: expect.any(Date) });
    expect(await store.get('jobs')).toMatchObject({ mode: 'PARALLEL', percent: 25, updatedBy: 'admin@example.com' });
    expect(registry.get('jobs')).toMatchObject({ mode: 'PARALLEL', percent: 25 });
    await expect(resolver.setRollout(admin, { useCase: 'job application', mode: RolloutModeEnum.NEW_ONLY, percent: 5 })).rejects.toMatchObject({
      category: ErrorCategory.Invalid,
      message: expect.stringMatching(/^useCase: /),
    });
  });

  it('rollouts: every stored rollout', async () => {
    await resolver.setRollout(admin, { useCase: 'support', mode: RolloutModeEnum.NEW_ONLY, percent: 100, shadow: true });
    await resolver.setRollout(admin, { useCase: 'default', mode: RolloutModeEnum.LEGACY_ONLY, percent: 100 });
    expect((await resolver.rollouts()).map((r) => [r.useCase, r.mode, r.percent, r.shadow])).toEqual([
      ['default', 'LEGACY_ONLY', 100, false],
      ['support', 'NEW_ONLY', 100, true],
    ]);
  });

  it('both operations are admin-only (GraphqlAuthGuard reads this)', () => {
    const reflector = new Reflector();
    for (const handler of [RolloutsResolver.prototype.setRollout, RolloutsResolver.prototype.rollouts]) {
      expect(reflector.getAllAndOverride(ADMIN_ONLY, [handler, RolloutsResolver])).toBe(true);
      expect(reflector.get(ADMIN_ONLY, handler)).toBe(true);
    }
  });
});

describe('RolloutInput (class-validator, as the gateway pipe runs it)', () => {
  const pipe = new GraphqlValidationPipe();
  const check = (value: object) => pipe.transform(value, { type: 'body', metatype: RolloutInput });

  it('accepts 0..100 whole percentages', async () => {
    for (const percent of [0, 42, 100]) await expect(check({ useCase: 'jobs', mode: 'PARALLEL', percent })).resolves.toBeDefined();
    await expect(check({ useCase: 'jobs', mode: 'NEW_ONLY', percent: 5, shadow: true })).resolves.toBeDefined();
  });

  it('refuses a percentage out of range and an oversized use case, naming the field', async () => {
    await expect(check({ useCase: 'jobs', mode: 'PARALLEL', percent: 101 })).rejects.toMatchObject({ category: ErrorCategory.Invalid, message: expect.stringMatching(/percent/) });
    await expect(check({ useCase: 'jobs', mode: 'PARALLEL', percent: -1 })).rejects.toMatchObject({ message: expect.stringMatching(/percent/) });
    await expect(check({ useCase: 'x'.repeat(201), mode: 'PARALLEL', percent: 1 })).rejects.toMatchObject({ message: expect.stringMatching(/useCase/) });
  });
});

describe('Rollout schema (DESIGN §6 names)', () => {
  it('setRollout(input: RolloutInput!): Rollout!, rollouts: [Rollout!]!, RolloutMode, RolloutInput, Rollout', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [GraphQLSchemaBuilderModule] }).compile();
    const sdl = printSchema(await moduleRef.get(GraphQLSchemaFactory).create([RolloutsResolver]));
    expect(sdl).toMatch(/setRollout\(input: RolloutInput!\): Rollout!/);
    expect(sdl).toMatch(/rollouts: \[Rollout!\]!/);
    expect(sdl).toMatch(/enum RolloutMode \{[^}]*LEGACY_ONLY[^}]*PARALLEL[^}]*NEW_ONLY[^}]*\}/);
    const block = (kind: string, name: string) => sdl.match(new RegExp(`${kind} ${name} \\{([^}]*)\\}`))![1].replace(/"""[\s\S]*?"""/g, '');
    const fields = (body: string) => body.split('\n').map((l) => l.trim()).filter(Boolean).sort();
    expect(fields(block('input', 'RolloutInput'))).toEqual(['mode: RolloutMode!', 'percent: Int!', 'shadow: Boolean', 'useCase: String!']);
    expect(fields(block('type', 'Rollout'))).toEqual(['mode: RolloutMode!', 'percent: Int!', 'shadow: Boolean!', 'updatedAt: DateTime!', 'useCase: String!']);
  });
});
