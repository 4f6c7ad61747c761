import { ParticipantState } from '@libs/conversations';

export interface KnownAccount {
  id: string;
  email: string;
  previousEmails: readonly string[];
}

export type SenderVerdict = { ok: true; via: 'address' | 'account' | 'legacy-history' } | { ok: false; reason: 'unknown-sender' | 'not-a-participant' };

/**
 * Is the sender the person whose alias was used? By address first; then through the identity
 * directory, which knows an account's current and previous addresses (someone who changed
 * address mid-conversation, DESIGN §4 case 7). A known account that is not the seat's owner is
 * not this participant; an address nobody knows is an unknown sender (asked to reply from the
 * address they registered). Last, for a sender no account knows, the legacy system's history of
 * that person's addresses (`legacyAddresses`, when it was asked).
 */
export function identifySender(from: string | null | undefined, seat: ParticipantState, account: KnownAccount | null, legacyAddresses: readonly string[] = []): SenderVerdict {
  const sender = from?.trim().toLowerCase();
  if (!sender) return { ok: false, reason: 'unknown-sender' };
  if (sender === seat.email) return { ok: true, via: 'address' };
  if (account) {
    const owns = (seat.accountId !== null && account.id === seat.accountId) || account.email === seat.email || account.previousEmails.includes(seat.email);
    return owns ? { ok: true, via: 'account' } : { ok: false, reason: 'not-a-participant' };
  }
  if (legacyAddresses.some((a) => a.trim().toLowerCase() === seat.email)) return { ok: true, via: 'legacy-history' };
  return { ok: false, reason: 'unknown-sender' };
}
