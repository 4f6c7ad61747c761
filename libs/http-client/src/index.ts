export * from './resilient-json-client';
