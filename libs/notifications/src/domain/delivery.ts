import { createHash } from 'node:crypto';
import { base32 } from './base32';
import { Channel } from './channel';

/**
 * A Delivery is one attempt to reach one recipient on one channel for one reason (a message, a
 * reminder stage). It is written before anything is sent, under an id derived from what it
 * delivers, so a redelivered event finds it and never sends twice.
 *
 *   pending ──▶ sent ──▶ delivered
 *      │          └────▶ bounced | failed      (reported later by the provider or a DSN)
 *      └──▶ failed                             (refused for good when sending)
 *
 * States only move forward (`canMove`); a report that arrives late or twice changes nothing.
 */
export const DELIVERY_STATES = ['pending', 'sent', 'delivered', 'bounced', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

const RANK: Record<DeliveryState, number> = { pending: 0, sent: 1, delivered: 2, bounced: 3, failed: 3 };

export function isFinal(state: DeliveryState): boolean {
  return RANK[state] >= 2;
}

/** `delivered` may still become `bounced` (a late DSN); finals never change otherwise. */
export function canMove(from: DeliveryState, to: DeliveryState): boolean {
  if (from === to) return false;
  if (from === 'delivered') return to === 'bounced';
  return RANK[to] > RANK[from];
}

/** The states a delivery may be in for a move to `to` to apply (for conditional updates). */
export function statesBefore(to: DeliveryState): DeliveryState[] {
  return DELIVERY_STATES.filter((from) => canMove(from, to));
}

export type DeliveryKind = 'message' | 'reminder';

/**
 * `d` + 26 base32 characters of SHA-256(source, participant, channel): deterministic, short
 * enough for a VERP local part and a provider idempotency key, and it reveals nothing.
 */
export function deliveryIdOf(source: string, participantId: string, channel: Channel): string {
  const digest = createHash('sha256').update(`${source}\u0000${participantId}\u0000${channel}`).digest();
  return `d${base32(digest).slice(0, 26)}`;
}


export interface DeliveryRecord {
  id: string;
  kind: DeliveryKind;
  /** What it delivers: `<conversationId>:<seq>` of the message event, or the reminder's key. */
  source: string;
  conversationId: string;
  participantId: string;
  channel: Channel;
  /** Address, phone number, push token or account id, as used for this delivery. */
  recipient: string;
  state: DeliveryState;
  attempts: number;
  /** When the thing delivered happened (the message's time): latency is measured from it. */
  eventAt: Date;
  createdAt: Date;
  sentAt: Date | null;
  finalAt: Date | null;
  providerMessageId: string | null;
  lastError: string | null;
  /** Held by a sender until this time; another instance takes it over only after. */
  claimedUntil: Date;
  /** The trace of the email or request behind it, to find it in the logs of every app. */
  traceId?: string | null;
}
