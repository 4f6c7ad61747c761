import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { APP_CONFIG } from '@libs/config';
import { ConversationsModule } from '@libs/conversations';
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
