import { Channel } from './domain/channel';

export interface NotificationsOptions {
  /** ALIAS_DOMAIN: Message-IDs, VERP bounce addresses. */
  domain: string;
  /** The platform's sending address, e.g. notifications@relay.example.com. */
  fromAddress: string;
  /** Public base URL of the gateway, for unsubscribe links. */
  publicUrl: string;
  /** Signs VERP bounce addresses and unsubscribe links. */
  signingSecret: string;
  /** Custom templates (see docs/notification-templates.md); null: built-in ones. */
  templatesDir: string | null;
  /** Sends per second and channel (token bucket; bursts up to one second's worth). */
  ratePerSecond: Record<Exclude<Channel, 'in_app'>, number>;
  /** Reminder offsets from the first unread message, in ms; empty: none. */
  reminderOffsetsMs: number[];
  reminderPollMs: number;
  /** Deliveries (and their database work) of one event in flight at once. */
  fanOutConcurrency: number;
  /** How long a sender holds a delivery or a reminder stage before another may take it over. */
  leaseMs: number;
  /** Whether SMS/push are possible (a provider is configured). */
  providerConfigured: boolean;
  /** How often deliveries are counted by state for `notifier_deliveries_by_state`; 0: never (default 30 s). */
  deliveryMetricsMs?: number;
}

export const NOTIFICATIONS_OPTIONS = Symbol('NOTIFICATIONS_OPTIONS');

/** The notifier's idea of now, for reminders: tests move it (leases use the real clock). */
export const NOTIFIER_CLOCK = Symbol('NOTIFIER_CLOCK');
export interface NotifierClock {
  now(): Date;
}

/** A clock that can be moved forward (or back) by an offset; the system clock by default. */
export class OffsetClock implements NotifierClock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  get offset(): number {
    return this.offsetMs;
  }
  setOffset(ms: number): void {
    this.offsetMs = ms;
  }
}
