import { DynamicModule, InjectionToken, Module, ModuleMetadata, Provider } from '@nestjs/common';
import { InMemoryLegacyCallQueue } from './in-memory-legacy-call.queue';
import { LegacyCallDispatcher } from './legacy-call.dispatcher';
import { LEGACY_CALL_QUEUE, LegacyCallQueue } from './legacy-call-queue.port';
import { LEGACY_CALLS_OPTIONS, LegacyCallsOptions } from './legacy-calls.options';
import { MongoLegacyCallQueue } from './mongo-legacy-call.queue';

export interface LegacyCallsModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...args: any[]) => LegacyCallsOptions | Promise<LegacyCallsOptions>;
}

/**
 * The durable path of calls to the legacy system: LEGACY_CALL_QUEUE (MongoDB `legacy_calls`) for
 * producers, and the LegacyCallDispatcher that executes the calls through LEGACY_SYSTEM. Global,
 * so the notifier's routing sees the queue wherever it is provided.
 *
 * Needs the app's mongoose connection (PersistenceModule) and LEGACY_SYSTEM from
 * LegacyBridgeModule (null or absent: calls stay pending); MetricsService is used when present.
 */
@Module({})
export class LegacyCallsModule {
  static forRootAsync(options: LegacyCallsModuleAsyncOptions): DynamicModule {
    return LegacyCallsModule.build(options, { provide: LEGACY_CALL_QUEUE, useClass: MongoLegacyCallQueue });
  }

  /** On a given queue (default: a new InMemoryLegacyCallQueue), for tests of producers. */
  static withQueue(queue: LegacyCallQueue = new InMemoryLegacyCallQueue(), options: LegacyCallsOptions = {}): DynamicModule {
    return LegacyCallsModule.build({ useFactory: () => options }, { provide: LEGACY_CALL_QUEUE, useValue: queue });
  }

  private static build(options: LegacyCallsModuleAsyncOptions, queue: Provider): DynamicModule {
    return {
      module: LegacyCallsModule,
      global: true,
      imports: options.imports ?? [],
      providers: [{ provide: LEGACY_CALLS_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory }, queue, LegacyCallDispatcher],
      exports: [LEGACY_CALL_QUEUE, LegacyCallDispatcher],
    };
  }
}
