import { parseReminderSchedule } from './domain/reminder-schedule';
import { NotificationsOptions } from './notifications.options';

/** The environment variables the notifications lib reads (validated by @libs/config). */
export interface NotificationsEnv {
  ALIAS_DOMAIN: string;
  NOTIFIER_SIGNING_SECRET: string;
  PUBLIC_URL: string;
  NOTIFIER_FROM_ADDRESS?: string;
  NOTIFY_PROVIDER_URL?: string;
  NOTIFIER_TEMPLATES_DIR?: string;
  NOTIFIER_RATE_EMAIL_PER_SECOND?: number;
  NOTIFIER_RATE_SMS_PER_SECOND?: number;
  NOTIFIER_RATE_PUSH_PER_SECOND?: number;
  NOTIFIER_REMINDERS?: string;
  NOTIFIER_REMINDER_POLL_MS?: number;
  NOTIFIER_LEASE_MS?: number;
  NOTIFIER_FANOUT_CONCURRENCY?: number;
  NOTIFIER_DELIVERY_METRICS_MS?: number;
}

export function notificationsOptionsFrom(env: NotificationsEnv): NotificationsOptions {
  return {
    domain: env.ALIAS_DOMAIN,
    fromAddress: env.NOTIFIER_FROM_ADDRESS ?? `notifications@${env.ALIAS_DOMAIN}`,
    publicUrl: env.PUBLIC_URL.replace(/\/+$/, ''),
    signingSecret: env.NOTIFIER_SIGNING_SECRET,
    templatesDir: env.NOTIFIER_TEMPLATES_DIR ?? null,
    ratePerSecond: {
      email: env.NOTIFIER_RATE_EMAIL_PER_SECOND ?? 500,
      sms: env.NOTIFIER_RATE_SMS_PER_SECOND ?? 50,
      push: env.NOTIFIER_RATE_PUSH_PER_SECOND ?? 500,
    },
    reminderOffsetsMs: parseReminderSchedule(env.NOTIFIER_REMINDERS ?? '24h,48h,7d'),
    reminderPollMs: env.NOTIFIER_REMINDER_POLL_MS ?? 5_000,
    leaseMs: env.NOTIFIER_LEASE_MS ?? 30_000,
    fanOutConcurrency: env.NOTIFIER_FANOUT_CONCURRENCY ?? 16,
    providerConfigured: Boolean(env.NOTIFY_PROVIDER_URL),
    deliveryMetricsMs: env.NOTIFIER_DELIVERY_METRICS_MS ?? 60_000,
  };
}
