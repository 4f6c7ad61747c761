export * from './in-memory-conversation-store';
export * from './conversations-test-module';
