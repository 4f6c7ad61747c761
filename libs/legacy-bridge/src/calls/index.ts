export * from './legacy-call';
export * from './legacy-call-queue.port';
export * from './legacy-calls.options';
export * from './legacy-call.dispatcher';
export * from './in-memory-legacy-call.queue';
export * from './mongo-legacy-call.queue';
export * from './legacy-calls.module';
