import { NotificationsEnv, notificationsOptionsFrom } from './notifications.config';

const required: NotificationsEnv = {
  ALIAS_DOMAIN: 'relay.example.com',
  NOTIFIER_SIGNING_SECRET: 'a-signing-secret-of-at-least-32-characters',
  PUBLIC_URL: 'https://chat.example.com',
};

describe('notificationsOptionsFrom', () => {
  it('fills in the defaults from the required variables', () => {
    expect(notificationsOptionsFrom(required)).toEqual({
      domain: 'relay.example.com',
      fromAddress: 'notifications@relay.example.com',
      publicUrl: 'https://chat.example.com',
      signingSecret: 'a-signing-secret-of-at-least-32-characters',
      templatesDir: null,
      ratePerSecond: { email: 500, sms: 50, push: 500 },
      reminderOffsetsMs: [24 * 3_600_000, 48 * 3_600_000, 7 * 86_400_000],
      reminderPollMs: 5_000,
      leaseMs: 30_000,
      fanOutConcurrency: 16,
      providerConfigured: false,
      deliveryMetricsMs: 60_000,
    });
  });

  it('strips trailing slashes from PUBLIC_URL, keeping its path', () => {
    expect(notificationsOptionsFrom({ ...required, PUBLIC_URL: 'https://chat.example.com/' }).publicUrl).toBe('https://chat.example.com');
    expect(notificationsOptionsFrom({ ...required, PUBLIC_URL: 'https://example.com/chat//' }).publicUrl).toBe('https://example.com/chat');
  });

  it('takes every optional variable when given', () => {
    const options = notificationsOptionsFrom({
      ...required,
      NOTIFIER_FROM_ADDRESS: 'no-reply@example.com',
      NOTIFY_PROVIDER_URL: 'https://notify.example.net',
      NOTIFIER_TEMPLATES_DIR: '/etc/notifier/templates',
      NOTIFIER_RATE_EMAIL_PER_SECOND: 20,
      NOTIFIER_RATE_SMS_PER_SECOND: 2,
      NOTIFIER_RATE_PUSH_PER_SECOND: 30,
      NOTIFIER_REMINDERS: '1h,1d',
      NOTIFIER_REMINDER_POLL_MS: 250,
      NOTIFIER_LEASE_MS: 1_000,
      NOTIFIER_DELIVERY_METRICS_MS: 5_000,
    });
    expect(options).toMatchObject({
      deliveryMetricsMs: 5_000,
      fromAddress: 'no-reply@example.com',
      providerConfigured: true,
      templatesDir: '/etc/notifier/templates',
      ratePerSecond: { email: 20, sms: 2, push: 30 },
      reminderOffsetsMs: [3_600_000, 86_400_000],
      reminderPollMs: 250,
      leaseMs: 1_000,
    });
  });

  it('counts a provider as configured only when its URL is set and not empty', () => {
    expect(notificationsOptionsFrom({ ...required, NOTIFY_PROVIDER_URL: undefined }).providerConfigured).toBe(false);
    expect(notificationsOptionsFrom({ ...required, NOTIFY_PROVIDER_URL: '' }).providerConfigured).toBe(false);
    expect(notificationsOptionsFrom({ ...required, NOTIFY_PROVIDER_URL: 'http://127.0.0.1:4010' }).providerConfigured).toBe(true);
  });

  it('turns reminders off with "off", and refuses a schedule that does not increase', () => {
    expect(notificationsOptionsFrom({ ...required, NOTIFIER_REMINDERS: 'off' }).reminderOffsetsMs).toEqual([]);
    expect(() => notificationsOptionsFrom({ ...required, NOTIFIER_REMINDERS: '48h,24h' })).toThrow('reminder offsets must increase');
  });
});
