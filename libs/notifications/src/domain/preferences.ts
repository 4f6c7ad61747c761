import { ChannelTarget } from './channel-target';

export type { ChannelTarget };
/**
 * What one participant (one seat in one conversation) wants to receive. In-app is not a choice:
 * an account holder always gets it. Email is on by default, so email-only participants, who
 * have no other way in, are reached; SMS and push need a number or a device and an opt-in.
 */
export interface NotificationPreferences {
  conversationId: string;
  participantId: string;
  email: boolean;
  sms: boolean;
  push: boolean;
  phoneNumber: string | null;
  pushToken: string | null;
  updatedAt: Date | null;
}

export function defaultPreferences(conversationId: string, participantId: string): NotificationPreferences {
  return { conversationId, participantId, email: true, sms: false, push: false, phoneNumber: null, pushToken: null, updatedAt: null };
}

export interface RecipientSeat {
  participantId: string;
  accountId: string | null;
  email: string;
}


/**
 * The channels a notification goes out on. SMS and push only when a provider is configured;
 * reminders leave in-app out (the inbox already shows what is unread).
 */
export function channelsFor(
  seat: RecipientSeat,
  prefs: NotificationPreferences,
  options: { providerConfigured: boolean; purpose: 'message' | 'reminder' },
): ChannelTarget[] {
  const targets: ChannelTarget[] = [];
  if (seat.accountId && options.purpose === 'message') targets.push({ channel: 'in_app', address: seat.accountId });
  if (prefs.email) targets.push({ channel: 'email', address: seat.email });
  if (options.providerConfigured && prefs.sms && prefs.phoneNumber) targets.push({ channel: 'sms', address: prefs.phoneNumber });
  if (options.providerConfigured && prefs.push && prefs.pushToken) targets.push({ channel: 'push', address: prefs.pushToken });
  return targets;
}

const E164 = /^\+[1-9]\d{6,14}$/;
export function isPhoneNumber(value: string): boolean {
  return E164.test(value);
}
