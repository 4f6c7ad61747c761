import { DynamicModule, Inject, InjectionToken, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HealthRegistry } from '@libs/observability';
import { BLOB_STORE, BlobStore } from './domain/blob-store.port';
import { DiskBlobStore } from './infrastructure/disk-blob-store';
import { S3BlobStore } from './infrastructure/s3-blob-store';

export interface BlobStoreConfig {
  S3_ENDPOINT?: string;
  S3_BUCKET?: string;
  S3_REGION?: string;
  S3_ACCESS_KEY_ID?: string;
  S3_SECRET_ACCESS_KEY?: string;
  S3_FORCE_PATH_STYLE: boolean;
  BLOB_DIR: string;
}

/** S3 when S3_ENDPOINT is set, local disk otherwise. */
export function createBlobStore(config: BlobStoreConfig): BlobStore {
  if (!config.S3_ENDPOINT) return new DiskBlobStore(config.BLOB_DIR);
  return new S3BlobStore({
    endpoint: config.S3_ENDPOINT,
    bucket: config.S3_BUCKET!,
    region: config.S3_REGION!,
    accessKeyId: config.S3_ACCESS_KEY_ID!,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY!,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  });
}

class BlobStoreLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health.register('blobStore', () => this.store.ping());
  }

  onApplicationShutdown(): void {
    if (this.store instanceof S3BlobStore) this.store.destroy();
  }
}

@Module({})
export class BlobStoreModule {
  static forRootAsync(options: { inject: InjectionToken[]; useFactory: (...args: any[]) => BlobStoreConfig }): DynamicModule {
    return {
      module: BlobStoreModule,
      providers: [
        {
          provide: BLOB_STORE,
          inject: options.inject,
          useFactory: (...args: unknown[]) => createBlobStore(options.useFactory(...args)),
        },
        BlobStoreLifecycle,
      ],
      exports: [BLOB_STORE],
    };
  }
}
