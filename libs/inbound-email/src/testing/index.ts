export * from './fault';
export * from './in-memory-inbound-email.repository';
export * from './in-memory-mailgun-token.store';
export * from './in-memory-blob-store';
export * from './recording-inbound-email.queue';
export * from './inbound-email-test-bed';
