export * from './inbound-routing.module';
export * from './inbound-routing.options';
export * from './domain/routing-plan';
export * from './domain/sender-identity';
export * from './domain/bounce.ports';
export * from './application/commands/process-inbound-email/process-inbound-email.command';
