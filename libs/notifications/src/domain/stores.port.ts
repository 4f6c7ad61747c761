import { DeliveryRecord, DeliveryState } from './delivery';
import { NotificationPreferences } from './preferences';
import { ReminderState } from './reminder-schedule';

export type NewDelivery = Omit<DeliveryRecord, 'state' | 'attempts' | 'createdAt' | 'sentAt' | 'finalAt' | 'providerMessageId' | 'lastError' | 'claimedUntil'>;

export interface DeliveryStore {
  /** Writes the delivery, already claimed until `claimedUntil`. False: it exists. */
  create(delivery: NewDelivery, claimedUntil: Date, now: Date): Promise<boolean>;
  /** Claims a pending delivery nobody holds (or whose holder's lease ran out). */
  claim(id: string, now: Date, claimedUntil: Date): Promise<DeliveryRecord | null>;
  get(id: string): Promise<DeliveryRecord | null>;
  /** Moves forward only: false when the delivery is already at or past `to`, or unknown. */
  transition(id: string, to: DeliveryState, at: Date, fields?: { providerMessageId?: string | null; reason?: string | null; source?: string }): Promise<boolean>;
  /** Gives a pending delivery back after a transient failure, for the next attempt. */
  release(id: string, error: string): Promise<void>;
}

export interface PreferenceStore {
  get(conversationId: string, participantId: string): Promise<NotificationPreferences | null>;
  save(preferences: NotificationPreferences): Promise<void>;
}

export interface ReminderStore {
  /**
   * A message at `seq`: recipients without a running cycle start one (first stage due at
   * `firstDueAt`), the others count one more unread; the author's cycle ends (a reply).
   * Events at or below a reminder's `lastSeq` are already applied and change nothing.
   * `authorCycleEnded`: the author had a running cycle that this reply ended.
   */
  onMessage(input: { conversationId: string; seq: number; at: Date; authorId: string; recipientIds: string[]; firstDueAt: Date | null }): Promise<{ authorCycleEnded: boolean }>;
  /** Ends the participant's cycle (read). False when there was none running. */
  cancel(conversationId: string, participantId: string, seq: number): Promise<boolean>;
  due(now: Date, limit: number): Promise<ReminderState[]>;
  /** Takes one stage of one cycle for sending; null when it moved on or someone holds it. */
  claim(reminder: ReminderState, now: Date, claimedUntil: Date): Promise<ReminderState | null>;
  /** The stage went out: next stage due at `nextDueAt`, or the cycle is complete (null). */
  advance(reminder: ReminderState, nextDueAt: Date | null): Promise<void>;
  /** The stage could not go out this time: try again after `retryAt`. */
  postpone(reminder: ReminderState, retryAt: Date): Promise<void>;
  get(conversationId: string, participantId: string): Promise<ReminderState | null>;
}

export interface InAppNotification {
  id: string;
  accountId: string;
  conversationId: string;
  messageId: string | null;
  kind: 'message';
  title: string;
  preview: string;
  createdAt: Date;
}

export interface InAppInbox {
  /** Idempotent on `id`. */
  put(notification: InAppNotification): Promise<void>;
  list(accountId: string, limit: number): Promise<(InAppNotification & { readAt: Date | null })[]>;
}

export const DELIVERY_STORE = Symbol('DELIVERY_STORE');
export const PREFERENCE_STORE = Symbol('PREFERENCE_STORE');
export const REMINDER_STORE = Symbol('REMINDER_STORE');
export const IN_APP_INBOX = Symbol('IN_APP_INBOX');
