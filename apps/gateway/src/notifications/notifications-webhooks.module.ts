import { DynamicModule, InjectionToken, Module, ModuleMetadata, OptionalFactoryDependency, Provider } from '@nestjs/common';
import { DeliveryStatusWebhookController } from './delivery-status-webhook.controller';
import {
  DEFAULT_STATUS_WEBHOOK_LIMITS,
  PROVIDER_WEBHOOK_SECRET,
  ProviderWebhookSecret,
  STATUS_WEBHOOK_LIMITS,
  StatusWebhookLimits,
} from './notifications-webhooks.constants';

export { DeliveryStatusWebhookController } from './delivery-status-webhook.controller';
export { PROVIDER_WEBHOOK_SECRET, STATUS_WEBHOOK_LIMITS } from './notifications-webhooks.constants';

export interface NotificationsWebhooksOptions {
  /** NOTIFY_PROVIDER_WEBHOOK_SECRET. Several are accepted while we rotate ours. */
  webhookSecret: ProviderWebhookSecret;
  /** Default 300. */
  toleranceSeconds?: number;
  /** Default 64 KiB. */
  maxBodyBytes?: number;
}

export interface NotificationsWebhooksAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  useFactory: (...args: any[]) => NotificationsWebhooksOptions | Promise<NotificationsWebhooksOptions>;
}

const OPTIONS = Symbol('NOTIFICATIONS_WEBHOOKS_OPTIONS');

/**
 * The SMS/push provider's status webhook on the gateway (`POST /webhooks/notifications/status`).
 * Expects the app's CommandBus (CqrsModule.forRoot) with the UpdateDeliveryStatusCommand handler
 * of libs/notifications, and MetricsService (PlatformModule).
 */
@Module({})
export class NotificationsWebhooksModule {
  static forRoot(options: NotificationsWebhooksOptions): DynamicModule {
    return NotificationsWebhooksModule.forRootAsync({ useFactory: () => options });
  }

  static forRootAsync(options: NotificationsWebhooksAsyncOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
      { provide: PROVIDER_WEBHOOK_SECRET, inject: [OPTIONS], useFactory: (o: NotificationsWebhooksOptions) => secretOf(o.webhookSecret) },
      {
        provide: STATUS_WEBHOOK_LIMITS,
        inject: [OPTIONS],
        useFactory: (o: NotificationsWebhooksOptions): StatusWebhookLimits => ({
          toleranceSeconds: o.toleranceSeconds ?? DEFAULT_STATUS_WEBHOOK_LIMITS.toleranceSeconds,
          maxBodyBytes: o.maxBodyBytes ?? DEFAULT_STATUS_WEBHOOK_LIMITS.maxBodyBytes,
        }),
      },
    ];
    return { module: NotificationsWebhooksModule, imports: options.imports ?? [], controllers: [DeliveryStatusWebhookController], providers };
  }
}

/** An empty secret would make every post unverifiable (or, worse, forgeable): refuse to start. */
function secretOf(value: ProviderWebhookSecret | undefined): ProviderWebhookSecret {
  const secrets = (typeof value === 'string' ? [value] : [...(value ?? [])]).filter((s) => typeof s === 'string' && s.length > 0);
  if (secrets.length === 0) throw new Error('NOTIFY_PROVIDER_WEBHOOK_SECRET must be set to verify the notification provider status webhook');
  return secrets.length === 1 ? secrets[0] : secrets;
}
