export * from './fixtures';
export * from './parsed-email.factory';
