export * from './topics';
export * from './headers';
export * from './envelope';
