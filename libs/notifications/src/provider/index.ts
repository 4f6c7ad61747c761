export * from './http-notification-provider';
export * from './status-webhook-signature';
export * from './status-webhook-payload';
export * from './status-webhook.errors';
