import { DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig, AppConfigModule } from '@libs/config';
import { BlobStoreModule } from '@libs/blob-store';
import { KafkaModule } from '@libs/kafka';
import { ObservabilityModule } from '@libs/observability';
import { PersistenceModule } from '@libs/persistence';

export interface PlatformOptions {
  config: AppConfig<'mongo' | 'kafka'> & Partial<AppConfig<'blob'>>;
  /** Kafka consumer group of this app, when it consumes. */
  consumerGroupId?: string;
  blobStore?: boolean;
}

/**
 * What every app stands on: validated config, logs/metrics/health, MongoDB and Kafka, and the
 * blob store for the apps that touch raw email. Apps import this once and add their features.
 */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const { config } = options;
    const imports = [
      AppConfigModule.forRoot(config as AppConfig),
      ObservabilityModule.forRoot({ service: config.SERVICE_NAME, level: config.LOG_LEVEL }),
      PersistenceModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (c: AppConfig<'mongo'>) => c }),
      KafkaModule.forRootAsync({
        inject: [APP_CONFIG],
        useFactory: (c: AppConfig<'kafka'>) => c,
        consumerGroupId: options.consumerGroupId,
      }),
    ];
    if (options.blobStore) {
      imports.push(BlobStoreModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (c: AppConfig<'blob'>) => c }));
    }
    return { module: PlatformModule, global: true, imports, exports: imports };
  }
}
