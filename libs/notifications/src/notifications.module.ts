import { DynamicModule, InjectionToken, Module, Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ChannelSenders } from './application/channel-senders';
import { HandleConversationEventHandler } from './application/commands/handle-conversation-event/handle-conversation-event.handler';
import { SendDueRemindersHandler } from './application/commands/send-due-reminders/send-due-reminders.handler';
import { SetNotificationPreferencesHandler } from './application/commands/set-notification-preferences/set-notification-preferences.handler';
import { UnsubscribeHandler } from './application/commands/unsubscribe/unsubscribe.handler';
import { UpdateDeliveryStatusHandler } from './application/commands/update-delivery-status/update-delivery-status.handler';
import { DeliveryService } from './application/delivery.service';
import { NotificationPlanner } from './application/notification-planner';
import { GetNotificationPreferencesHandler } from './application/queries/get-notification-preferences/get-notification-preferences.handler';
import { EMAIL_SENDER, NOTIFICATION_PROVIDER } from './domain/delivery-ports';
import { DELIVERY_STORE, IN_APP_INBOX, PREFERENCE_STORE, REMINDER_STORE } from './domain/stores.port';
import { SmtpEmailSender } from './email';
import { DeliveryStateGauge } from './infrastructure/mongo/delivery-state.gauge';
import { MongoDeliveryStore } from './infrastructure/mongo/mongo-delivery.store';
import { MongoInAppInbox } from './infrastructure/mongo/mongo-in-app.inbox';
import { MongoPreferenceStore } from './infrastructure/mongo/mongo-preference.store';
import { MongoReminderStore } from './infrastructure/mongo/mongo-reminder.store';
import { ReminderScheduler } from './infrastructure/reminder-scheduler';
import { HttpNotificationProvider } from './provider';
import { NOTIFICATIONS_OPTIONS, NOTIFIER_CLOCK, NotificationsOptions, OffsetClock } from './notifications.options';

export interface NotificationsSendingConfig {
  smtpUrl: string;
  provider: { url: string; token?: string; timeoutMs: number } | null;
}

export interface NotificationsModuleOptions {
  inject: InjectionToken[];
  useFactory: (...args: any[]) => NotificationsOptions;
  /**
   * `notifier`: fan-out, channels, reminders (needs `sending`). `status`: preferences,
   * unsubscribe and delivery status reports only (gateway, relay).
   */
  role: 'notifier' | 'status';
  sending?: { inject: InjectionToken[]; useFactory: (...args: any[]) => NotificationsSendingConfig };
  /** Extra providers, e.g. a NOTIFIER_CLOCK the tests move. */
  providers?: Provider[];
}

const SENDING_CONFIG = Symbol('NOTIFICATIONS_SENDING_CONFIG');

/**
 * Outbound notifications (DESIGN §5): deliveries, preferences, reminders and status reports,
 * over MongoDB, SMTP and the SMS/push provider. Apps use it through the command and query buses.
 */
@Module({})
export class NotificationsModule {
  static forRootAsync(options: NotificationsModuleOptions): DynamicModule {
    const common: Provider[] = [
      { provide: NOTIFICATIONS_OPTIONS, inject: options.inject, useFactory: options.useFactory },
      { provide: DELIVERY_STORE, useClass: MongoDeliveryStore },
      { provide: PREFERENCE_STORE, useClass: MongoPreferenceStore },
      UpdateDeliveryStatusHandler,
      SetNotificationPreferencesHandler,
      GetNotificationPreferencesHandler,
      UnsubscribeHandler,
    ];
    const sending: Provider[] =
      options.role === 'notifier'
        ? [
            { provide: SENDING_CONFIG, inject: options.sending?.inject ?? [], useFactory: options.sending?.useFactory ?? missingSendingConfig },
            { provide: EMAIL_SENDER, inject: [SENDING_CONFIG], useFactory: (c: NotificationsSendingConfig) => new SmtpEmailSender(c.smtpUrl) },
            {
              provide: NOTIFICATION_PROVIDER,
              inject: [SENDING_CONFIG],
              useFactory: (c: NotificationsSendingConfig) =>
                c.provider ? new HttpNotificationProvider({ baseUrl: c.provider.url, token: c.provider.token, timeoutMs: c.provider.timeoutMs }) : null,
            },
            { provide: REMINDER_STORE, useClass: MongoReminderStore },
            { provide: IN_APP_INBOX, useClass: MongoInAppInbox },
            ...(options.providers?.some((p) => typeof p === 'object' && 'provide' in p && p.provide === NOTIFIER_CLOCK) ? [] : [{ provide: NOTIFIER_CLOCK, useValue: new OffsetClock() }]),
            DeliveryService,
            ChannelSenders,
            NotificationPlanner,
            HandleConversationEventHandler,
            SendDueRemindersHandler,
            ReminderScheduler,
            DeliveryStateGauge,
          ]
        : [];
    return {
      module: NotificationsModule,
      imports: [CqrsModule],
      providers: [...common, ...sending, ...(options.providers ?? [])],
      exports: [NOTIFICATIONS_OPTIONS, DELIVERY_STORE, PREFERENCE_STORE, ...(options.role === 'notifier' ? [NOTIFIER_CLOCK, REMINDER_STORE, ReminderScheduler] : [])],
    };
  }
}

function missingSendingConfig(): never {
  throw new Error('NotificationsModule with role "notifier" needs `sending` (SMTP URL, provider)');
}
