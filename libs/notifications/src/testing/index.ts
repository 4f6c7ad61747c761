// In-memory fakes of the notifications ports, with the MongoDB adapters' semantics, and a test bed
// that wires the application with them. For unit tests only.
export * from './in-memory-delivery.store';
export * from './in-memory-preference.store';
export * from './in-memory-reminder.store';
export * from './in-memory-in-app.inbox';
export * from './recording-senders';
export * from './in-memory-conversations';
export * from './notifications-test-bed';
