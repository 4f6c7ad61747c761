export * from './domain/blob-store.port';
export * from './domain/blob-key';
export * from './infrastructure/disk-blob-store';
export * from './infrastructure/s3-blob-store';
export * from './blob-store.module';

