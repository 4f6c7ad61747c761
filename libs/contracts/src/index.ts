export * from './topics';
export * from './headers';
export * from './envelope';
export * from './domain-error';
export * from './conversation-events';
export * from './inbound-email-events';
