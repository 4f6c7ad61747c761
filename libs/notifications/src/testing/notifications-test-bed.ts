import { MetricsService } from '@libs/observability';
import { ChannelSenders } from '../application/channel-senders';
import { NotificationPlanner } from '../application/notification-planner';
import { HandleConversationEventHandler } from '../application/commands/handle-conversation-event/handle-conversation-event.handler';
import { SendDueRemindersHandler } from '../application/commands/send-due-reminders/send-due-reminders.handler';
import { SetNotificationPreferencesHandler } from '../application/commands/set-notification-preferences/set-notification-preferences.handler';
import { UnsubscribeHandler } from '../application/commands/unsubscribe/unsubscribe.handler';
import { UpdateDeliveryStatusHandler } from '../application/commands/update-delivery-status/update-delivery-status.handler';
import { DeliveryService } from '../application/delivery.service';
import { GetNotificationPreferencesHandler } from '../application/queries/get-notification-preferences/get-notification-preferences.handler';
import { NotificationsOptions, OffsetClock } from '../notifications.options';
import { InMemoryConversations, TEST_ALIAS_DOMAIN } from './in-memory-conversations';
import { InMemoryDeliveryStore } from './in-memory-delivery.store';
import { InMemoryInAppInbox } from './in-memory-in-app.inbox';
import { InMemoryPreferenceStore } from './in-memory-preference.store';
import { InMemoryReminderStore } from './in-memory-reminder.store';
import { RecordingEmailSender, RecordingNotificationProvider } from './recording-senders';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Options for unit tests: fast rates (so nothing waits for a token), a short lease, 24h/48h/7d reminders. */
export function testNotificationsOptions(overrides: Partial<NotificationsOptions> = {}): NotificationsOptions {
  return {
    domain: TEST_ALIAS_DOMAIN,
    fromAddress: `notifications@${TEST_ALIAS_DOMAIN}`,
    publicUrl: 'http://127.0.0.1:3000',
    signingSecret: 'unit-test-signing-secret-0123456789abcdef',
    templatesDir: null,
    ratePerSecond: { email: 100_000, sms: 100_000, push: 100_000 },
    reminderOffsetsMs: [24 * HOUR, 48 * HOUR, 7 * DAY],
    reminderPollMs: 5_000,
    leaseMs: 200,
    fanOutConcurrency: 8,
    providerConfigured: true,
    ...overrides,
  };
}

/** What notifier instances share: the database, the SMTP server, the provider, the conversations, the clock. */
export interface SharedWorld {
  options: NotificationsOptions;
  clock: OffsetClock;
  conversations: InMemoryConversations;
  deliveries: InMemoryDeliveryStore;
  preferences: InMemoryPreferenceStore;
  reminders: InMemoryReminderStore;
  inbox: InMemoryInAppInbox;
  email: RecordingEmailSender;
  provider: RecordingNotificationProvider;
}

/** One notifier process over a SharedWorld: its own rate limits, renderer, metrics and handlers. */
export interface NotifierInstance {
  metrics: MetricsService;
  deliveryService: DeliveryService;
  senders: ChannelSenders;
  handleEvent: HandleConversationEventHandler;
  sendDueReminders: SendDueRemindersHandler;
  setPreferences: SetNotificationPreferencesHandler;
  getPreferences: GetNotificationPreferencesHandler;
  updateStatus: UpdateDeliveryStatusHandler;
  unsubscribe: UnsubscribeHandler;
}

export type NotificationsTestBed = SharedWorld & NotifierInstance & {
  /** Another notifier instance over the same stores, channels and clock. */
  anotherInstance(): NotifierInstance;
};

/**
 * The notifications application wired by hand with in-memory fakes, as NotificationsModule wires
 * it with MongoDB, SMTP and the HTTP provider. `provider: null` is a notifier without one.
 */
export function notificationsTestBed(overrides: Partial<NotificationsOptions> = {}, setup: { provider?: 'recording' | null } = {}): NotificationsTestBed {
  const world: SharedWorld = {
    options: testNotificationsOptions(overrides),
    clock: new OffsetClock(),
    conversations: new InMemoryConversations(),
    deliveries: new InMemoryDeliveryStore(),
    preferences: new InMemoryPreferenceStore(),
    reminders: new InMemoryReminderStore(),
    inbox: new InMemoryInAppInbox(),
    email: new RecordingEmailSender(),
    provider: new RecordingNotificationProvider(),
  };
  const instance = (): NotifierInstance => notifierInstance(world, setup.provider === null ? null : world.provider);
  return { ...world, ...instance(), anotherInstance: instance };
}

function notifierInstance(world: SharedWorld, provider: RecordingNotificationProvider | null): NotifierInstance {
  const metrics = new MetricsService();
  const queries = world.conversations.queries;
  const deliveryService = new DeliveryService(world.deliveries, world.options, metrics);
  const senders = new ChannelSenders(world.options, world.email, world.inbox, provider);
  const planner = new NotificationPlanner(world.preferences, world.options, senders);
  return {
    metrics,
    deliveryService,
    senders,
    handleEvent: new HandleConversationEventHandler(queries, deliveryService, planner, world.reminders, world.options, metrics),
    sendDueReminders: new SendDueRemindersHandler(queries, deliveryService, planner, world.reminders, world.options, world.clock, metrics),
    setPreferences: new SetNotificationPreferencesHandler(queries, world.preferences),
    getPreferences: new GetNotificationPreferencesHandler(queries, world.preferences),
    updateStatus: new UpdateDeliveryStatusHandler(world.deliveries, metrics),
    unsubscribe: new UnsubscribeHandler(queries, world.preferences, world.options),
  };
}
