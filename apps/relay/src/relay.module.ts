import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { APP_CONFIG } from '@libs/config';
import { ConversationsModule } from '@libs/conversations';
import { IdentityModule } from '@libs/identity';
import { InboundEmailModule } from '@libs/inbound-email';
import { InboundRoutingModule } from '@libs/inbound-routing';
import { LegacyBridgeModule } from '@libs/legacy-bridge';
import { NotificationsModule, notificationsOptionsFrom, parseBounceAddress } from '@libs/notifications';
import { PlatformModule } from '@libs/runtime';
import { InboundEmailConsumer } from './inbound-email.consumer';
import { RelayConfig } from './relay.config';

export const RELAY_CONSUMER_GROUP = 'relay';

/** Turns inbound emails into conversation messages. Exposes health and metrics over HTTP. */
@Module({})
export class RelayModule {
  static forRoot(config: RelayConfig): DynamicModule {
    return {
      module: RelayModule,
      imports: [
        PlatformModule.forRoot({ config, blobStore: true, consumerGroupId: RELAY_CONSUMER_GROUP }),
        CqrsModule.forRoot(),
        ConversationsModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (c: RelayConfig) => ({
            aliasDomain: c.ALIAS_DOMAIN,
            legacyAliasDomains: c.LEGACY_ALIAS_DOMAINS,
            publishChanges: c.CONVERSATION_EVENTS_PUBLISHER === 'on',
          }),
        }),
        IdentityModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (c: RelayConfig) => ({
            IDENTITY_SERVICE_URL: c.IDENTITY_SERVICE_URL,
            IDENTITY_SERVICE_TOKEN: c.IDENTITY_SERVICE_TOKEN,
            IDENTITY_SERVICE_TIMEOUT_MS: c.IDENTITY_SERVICE_TIMEOUT_MS,
          }),
        }),
        InboundEmailModule.forRootAsync({ useFactory: () => ({}) }),
        // Global: binds LEGACY_SYSTEM and LEGACY_ALIAS_RESOLVER when LEGACY_SYSTEM_URL is set.
        LegacyBridgeModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (c: RelayConfig) => ({ LEGACY_SYSTEM_URL: c.LEGACY_SYSTEM_URL, LEGACY_SYSTEM_TIMEOUT_MS: c.LEGACY_SYSTEM_TIMEOUT_MS }),
        }),
        // Delivery reports (DSNs) for our notifications move their deliveries to `bounced`.
        NotificationsModule.forRootAsync({ role: 'status', inject: [APP_CONFIG], useFactory: (c: RelayConfig) => notificationsOptionsFrom(c) }),
        InboundRoutingModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (c: RelayConfig) => ({
            aliasDomain: c.ALIAS_DOMAIN,
            legacyAliasDomains: c.LEGACY_ALIAS_DOMAINS,
            bounceFrom: `mailer-daemon@${c.ALIAS_DOMAIN}`,
            platformAddresses: [`mailer-daemon@${c.ALIAS_DOMAIN}`, `notifications@${c.ALIAS_DOMAIN}`],
            blocklist: c.SENDER_BLOCKLIST,
            maxAttachmentBytes: c.RELAY_MAX_ATTACHMENT_BYTES,
            smtpUrl: c.SMTP_URL,
            deliveryOfBounceAddress: (address: string) => parseBounceAddress(address, { domain: c.ALIAS_DOMAIN, secret: c.NOTIFIER_SIGNING_SECRET }),
          }),
        }),
      ],
      controllers: [InboundEmailConsumer],
    };
  }
}
