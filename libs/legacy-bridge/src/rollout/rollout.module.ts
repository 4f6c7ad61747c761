import { DynamicModule, InjectionToken, Module, ModuleMetadata, Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GetRolloutHandler, ListRolloutsHandler } from './application/rollout-queries.handlers';
import { SetRolloutHandler } from './application/set-rollout.handler';
import { MongoRolloutStore } from './infrastructure/mongo-rollout.store';
import { ROLLOUT_OPTIONS, RolloutOptions } from './rollout.options';
import { ROLLOUT_STORE, RolloutStore } from './rollout-store.port';
import { RolloutRegistry } from './rollout.registry';

export interface RolloutModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...args: any[]) => RolloutOptions | Promise<RolloutOptions>;
  /** Global: RolloutRegistry visible to every module of the app (import this once per app). */
  global?: boolean;
}

const HANDLERS = [SetRolloutHandler, ListRolloutsHandler, GetRolloutHandler];

/**
 * Suppress and parallel (DESIGN §5): the rollouts (MongoDB `rollouts`), the RolloutRegistry every
 * app reads modes from, and the handlers SetRolloutCommand, ListRolloutsQuery, GetRolloutQuery.
 *
 * Needs the app's mongoose connection (PersistenceModule) and `CqrsModule.forRoot()` in the app;
 * MetricsService (ObservabilityModule) is used when present. Import it once per app (each import
 * is its own registry, polling the store): other modules reach RolloutRegistry through that
 * import, or through `global: true`.
 */
@Module({})
export class RolloutModule {
  static forRootAsync(options: RolloutModuleAsyncOptions): DynamicModule {
    return RolloutModule.build(options, { provide: ROLLOUT_STORE, useClass: MongoRolloutStore });
  }

  /** On a given store (e.g. InMemoryRolloutStore), for tests of callers. */
  static withStore(store: RolloutStore, options: RolloutOptions = {}): DynamicModule {
    return RolloutModule.build({ useFactory: () => options }, { provide: ROLLOUT_STORE, useValue: store });
  }

  private static build(options: RolloutModuleAsyncOptions, store: Provider): DynamicModule {
    return {
      module: RolloutModule,
      global: options.global ?? false,
      imports: [...(options.imports ?? []), CqrsModule],
      providers: [{ provide: ROLLOUT_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory }, store, RolloutRegistry, ...HANDLERS],
      exports: [RolloutRegistry, ROLLOUT_STORE, ROLLOUT_OPTIONS],
    };
  }
}
