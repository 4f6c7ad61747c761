import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { APP_CONFIG } from '@libs/config';
import { ACCOUNT_LOOKUP, ConversationsModule } from '@libs/conversations';
import { IdentityModule } from '@libs/identity';
import { PlatformModule } from '@libs/runtime';
import { ConversationsApiModule } from './conversations-api/conversations-api.module';
import { IdentityAccountLookup } from './conversations-api/identity-account-lookup';
import { GatewayConfig } from './gateway.config';
import { AccountsApiModule, GraphqlApiModule } from './graphql';
import { InboundIngressModule } from './inbound/inbound-ingress.module';
import { NotificationsModule, notificationsOptionsFrom } from '@libs/notifications';
import { RolloutModule, rolloutOptionsFrom } from '@libs/legacy-bridge';
import { RolloutApiModule } from './rollout-api/rollout-api.module';
import { ParityApiModule } from './parity-api/parity-api.module';
import { NotificationsApiModule } from './notifications-api/notifications-api.module';
import { NotificationsWebhooksModule } from './notifications/notifications-webhooks.module';

/** HTTP edge: GraphQL API, inbound email ingresses, health and metrics. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        PlatformModule.forRoot({ config, blobStore: true }),
        // One command/query bus for the app; libs contribute handlers only.
        CqrsModule.forRoot(),
        IdentityModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (c: GatewayConfig) => ({
            IDENTITY_SERVICE_URL: c.IDENTITY_SERVICE_URL,
            IDENTITY_SERVICE_TOKEN: c.IDENTITY_SERVICE_TOKEN,
            IDENTITY_SERVICE_TIMEOUT_MS: c.IDENTITY_SERVICE_TIMEOUT_MS,
          }),
        }),
        ConversationsModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (c: GatewayConfig) => ({
            aliasDomain: c.ALIAS_DOMAIN,
            legacyAliasDomains: c.LEGACY_ALIAS_DOMAINS,
            publishChanges: c.CONVERSATION_EVENTS_PUBLISHER === 'on',
          }),
          providers: [{ provide: ACCOUNT_LOOKUP, useClass: IdentityAccountLookup }],
        }),
        GraphqlApiModule.forRoot(),
        AccountsApiModule,
        ConversationsApiModule,
        InboundIngressModule,
        // Preferences, unsubscribe links and delivery status reports; the sending is the notifier's.
        NotificationsModule.forRootAsync({ role: 'status', inject: [APP_CONFIG], useFactory: (c: GatewayConfig) => notificationsOptionsFrom(c) }),
        NotificationsApiModule,
        // The migration's controls: rollouts per use case (admin), and the shadow parity report.
        RolloutModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (c: GatewayConfig) => ({ ...rolloutOptionsFrom(c), watch: false }) }),
        RolloutApiModule,
        ParityApiModule,
        ...(config.NOTIFY_PROVIDER_WEBHOOK_SECRET
          ? [NotificationsWebhooksModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (c: GatewayConfig) => ({ webhookSecret: c.NOTIFY_PROVIDER_WEBHOOK_SECRET! }) })]
          : []),
      ],
    };
  }
}
