import { Global, Logger, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { getConnectionToken } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import { MetricsService } from '@libs/observability';
import { MongoRolloutStore } from './infrastructure/mongo-rollout.store';
import { ROLLOUTS_COLLECTION } from './infrastructure/rollout-collection.store';
import { ROLLOUT_STORE } from './rollout-store.port';
import { RolloutModule } from './rollout.module';
import { RolloutRegistry } from './rollout.registry';

/** What the app provides: the mongoose connection (PersistenceModule) and MetricsService (ObservabilityModule). */
const collections: string[] = [];
const connection = {
  collection: (name: string) => {
    collections.push(name);
    return { find: () => ({ toArray: async () => [{ _id: 'jobs', mode: 'PARALLEL', percent: 20 }] }), findOne: async () => null, updateOne: async () => ({}) };
  },
};
const metrics = new MetricsService();

@Global()
@Module({
  providers: [
    { provide: getConnectionToken(), useValue: connection },
    { provide: MetricsService, useValue: metrics },
  ],
  exports: [getConnectionToken(), MetricsService],
})
class AppInfrastructure {}

describe('RolloutModule.forRootAsync', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('wires the Mongo store on the app connection, the registry (options from the factory) and its metric', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppInfrastructure,
        CqrsModule.forRoot(),
        RolloutModule.forRootAsync({ inject: ['CONFIG'], imports: [ConfigStub], useFactory: (c: { ms: number }) => ({ refreshMs: c.ms, fallbackMode: 'LEGACY_ONLY' }) }),
      ],
    }).compile();
    await moduleRef.init();
    const registry = moduleRef.get(RolloutRegistry);
    expect(moduleRef.get(ROLLOUT_STORE)).toBeInstanceOf(MongoRolloutStore);
    expect(collections).toEqual([ROLLOUTS_COLLECTION]);
    expect([registry.refreshMs, registry.fallbackMode]).toEqual([1_234, 'LEGACY_ONLY']);
    expect(registry.get('jobs')).toMatchObject({ mode: 'PARALLEL', percent: 20, shadow: false, updatedBy: null });
    expect(await metrics.registry.metrics()).toMatch(/legacy_rollout_percent\{use_case="jobs",mode="PARALLEL"\} 20/);
    await moduleRef.close();
  });
});

@Module({ providers: [{ provide: 'CONFIG', useValue: { ms: 1_234 } }], exports: ['CONFIG'] })
class ConfigStub {}
