export * from './principal';
export * from './auth-error';
export * from './access-token';
