import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { APP_CONFIG } from '@libs/config';
import { ConversationsModule } from '@libs/conversations';
import { LegacyBridgeModule, LegacyCallsModule, LegacyNotificationRoutingModule, RolloutModule, rolloutOptionsFrom } from '@libs/legacy-bridge';
import { NotificationsModule, notificationsOptionsFrom } from '@libs/notifications';
import { PlatformModule } from '@libs/runtime';
import { ClockController } from './clock.controller';
import { ConversationEventsConsumer } from './conversation-events.consumer';
import { NotifierConfig } from './notifier.config';

/** Delivers conversation events to participants and sends reminders. Health and metrics over HTTP. */
@Module({})
export class NotifierModule {
  static forRoot(config: NotifierConfig): DynamicModule {
    return {
      module: NotifierModule,
      imports: [
        PlatformModule.forRoot({ config, consumerGroupId: config.NOTIFIER_CONSUMER_GROUP }),
        CqrsModule.forRoot(),
        // Read side only: the notifier never writes conversations nor publishes their log.
        ConversationsModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (c: NotifierConfig) => ({ aliasDomain: c.ALIAS_DOMAIN, legacyAliasDomains: c.LEGACY_ALIAS_DOMAINS, publishChanges: false }),
        }),
        ...(config.LEGACY_SYSTEM_URL ? legacyBridge() : []),
        NotificationsModule.forRootAsync({
          role: 'notifier',
          inject: [APP_CONFIG],
          useFactory: (c: NotifierConfig) => notificationsOptionsFrom(c),
          sending: {
            inject: [APP_CONFIG],
            useFactory: (c: NotifierConfig) => ({
              smtpUrl: c.SMTP_URL,
              provider: c.NOTIFY_PROVIDER_URL ? { url: c.NOTIFY_PROVIDER_URL, token: c.NOTIFY_PROVIDER_TOKEN, timeoutMs: c.NOTIFY_PROVIDER_TIMEOUT_MS } : null,
            }),
          },
        }),
      ],
      controllers: [ConversationEventsConsumer, ...(config.NOTIFIER_CLOCK_CONTROL === 'on' ? [ClockController] : [])],
    };
  }
}

/**
 * Suppress and parallel, only while a legacy system is configured: rollouts, the legacy system,
 * its durable call queue, and the routing the fan-out asks before delivering. Without one,
 * every message takes the new path and none of this polls the database.
 */
function legacyBridge(): DynamicModule[] {
  return [
    LegacyBridgeModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (c: NotifierConfig) => ({ LEGACY_SYSTEM_URL: c.LEGACY_SYSTEM_URL, LEGACY_SYSTEM_TIMEOUT_MS: c.LEGACY_SYSTEM_TIMEOUT_MS }),
    }),
    RolloutModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (c: NotifierConfig) => rolloutOptionsFrom(c), global: true }),
    LegacyCallsModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (c: NotifierConfig) => ({ pollMs: c.LEGACY_CALLS_POLL_MS, enabled: c.LEGACY_CALLS_DISPATCH === 'on' }) }),
    LegacyNotificationRoutingModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (c: NotifierConfig) => ({ parityDelayMs: c.LEGACY_PARITY_DELAY_MS, parityPollMs: 1_000 }),
    }),
  ];
}
