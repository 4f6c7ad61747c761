/**
 * What a chaos run proves, computed from what was observed: which emails the sender had
 * acknowledged, which messages the conversation log holds, which notifications reached the SMTP
 * server, and when each fault happened. Pure, so every rule is unit-tested.
 */
import type { FaultKind } from './schedule';

export interface SentEmail {
  token: string;
  conversationId: string;
  /** The participant who sent it (the expected author of the message). */
  from: string;
  attempts: number;
  /** Epoch ms of the first 2xx answer; absent when the email was never acknowledged. */
  ackedAt?: number;
}

export interface StoredMessage {
  token: string;
  conversationId: string;
  /** Email address of the author the log recorded. */
  author: string;
  /** Epoch ms the event was committed. */
  at: number;
}

export interface ReceivedNotification {
  token: string;
  /** Envelope recipient at the SMTP server. */
  to: string;
  /** Epoch ms the SMTP server accepted it. */
  at: number;
}

export interface FaultRecord {
  kind: FaultKind;
  /** Epoch ms the fault was injected. */
  startedAt: number;
  /** Epoch ms its target answered again. */
  recoveredAt: number;
  downtimeMs: number;
}

export interface VerifyInput {
  emails: readonly SentEmail[];
  stored: readonly StoredMessage[];
  notifications: readonly ReceivedNotification[];
  /** Participants (email addresses) of each conversation. */
  participants: ReadonlyMap<string, readonly string[]>;
  faults: readonly FaultRecord[];
  /**
   * How far before a fault and after its recovery a duplicate still counts as caused by it: work
   * in flight when a process dies (a lease, a retry with backoff) is redone after the restart.
   */
  windowMs?: number;
}

export interface Duplicate {
  token: string;
  /** The recipient, for a notification. */
  to?: string;
  copies: number;
  firstAt: number;
  /** The fault whose window holds the first copy, if any. */
  fault?: FaultKind;
}

export interface ChaosCounts {
  emails: { sent: number; acknowledged: number; unacknowledged: number; retries: number };
  messages: {
    /** Distinct emails found in their conversations (acknowledged or not). */
    stored: number;
    /** MessageAdded events found, duplicates included. */
    events: number;
    lost: string[];
    duplicates: Duplicate[];
    /** Stored in another conversation or as another participant than the one who wrote. */
    misplaced: string[];
  };
  notifications: {
    expected: number;
    /** Distinct (message, recipient) pairs that reached the SMTP server. */
    sent: number;
    /** Emails accepted by the SMTP server for this run's messages, duplicates included. */
    received: number;
    lost: { token: string; to: string }[];
    duplicates: Duplicate[];
    /** Received for a (message, recipient) pair nobody should be notified of (e.g. the author). */
    unexpected: number;
  };
  duplicatesOutsideWindows: number;
  ok: boolean;
}

export const DEFAULT_WINDOW_MS = 30_000;

function faultAround(at: number, faults: readonly FaultRecord[], windowMs: number): FaultKind | undefined {
  return faults.find((f) => at >= f.startedAt - windowMs && at <= f.recoveredAt + windowMs)?.kind;
}

function duplicatesOf<T extends { at: number }>(groups: Map<string, T[]>, faults: readonly FaultRecord[], windowMs: number, describe: (key: string, first: T) => Pick<Duplicate, 'token' | 'to'>): Duplicate[] {
  const found: Duplicate[] = [];
  for (const [key, copies] of groups) {
    if (copies.length < 2) continue;
    const firstAt = Math.min(...copies.map((c) => c.at));
    found.push({ ...describe(key, copies[0]), copies: copies.length, firstAt, fault: faultAround(firstAt, faults, windowMs) });
  }
  return found;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const pairKey = (token: string, to: string): string => `${token}\u0000${to.toLowerCase()}`;

export function verifyChaos(input: VerifyInput): ChaosCounts {
  const windowMs = input.windowMs ?? DEFAULT_WINDOW_MS;
  const emailByToken = new Map(input.emails.map((e) => [e.token, e]));
  const acknowledged = input.emails.filter((e) => e.ackedAt !== undefined);

  const storedByToken = groupBy(input.stored, (m) => m.token);
  const lostMessages = acknowledged.filter((e) => !storedByToken.has(e.token)).map((e) => e.token);
  const messageDuplicates = duplicatesOf(storedByToken, input.faults, windowMs, (token) => ({ token }));
  const misplaced: string[] = [];
  for (const [token, copies] of storedByToken) {
    const email = emailByToken.get(token);
    if (!email || copies.some((c) => c.conversationId !== email.conversationId || c.author.toLowerCase() !== email.from.toLowerCase())) misplaced.push(token);
  }

  // One notification per stored message and participant other than its author.
  const expected = new Map<string, { token: string; to: string }>();
  for (const [token, copies] of storedByToken) {
    const { conversationId, author } = copies[0];
    for (const participant of input.participants.get(conversationId) ?? []) {
      if (participant.toLowerCase() !== author.toLowerCase()) expected.set(pairKey(token, participant), { token, to: participant.toLowerCase() });
    }
  }
  const receivedByPair = groupBy(input.notifications, (n) => pairKey(n.token, n.to));
  const lostNotifications = [...expected].filter(([key]) => !receivedByPair.has(key)).map(([, pair]) => pair);
  let sent = 0;
  let unexpected = 0;
  for (const [key, copies] of receivedByPair) {
    if (expected.has(key)) sent++;
    else unexpected += copies.length;
  }
  const notificationDuplicates = duplicatesOf(
    new Map([...receivedByPair].filter(([key]) => expected.has(key))),
    input.faults,
    windowMs,
    (_key, first) => ({ token: first.token, to: first.to.toLowerCase() }),
  );

  const duplicatesOutsideWindows = [...messageDuplicates, ...notificationDuplicates].filter((d) => d.fault === undefined).length;
  const counts: ChaosCounts = {
    emails: {
      sent: input.emails.length,
      acknowledged: acknowledged.length,
      unacknowledged: input.emails.length - acknowledged.length,
      retries: input.emails.reduce((sum, e) => sum + Math.max(0, e.attempts - 1), 0),
    },
    messages: { stored: storedByToken.size, events: input.stored.length, lost: lostMessages, duplicates: messageDuplicates, misplaced },
    notifications: {
      expected: expected.size,
      sent,
      received: input.notifications.length,
      lost: lostNotifications,
      duplicates: notificationDuplicates,
      unexpected,
    },
    duplicatesOutsideWindows,
    ok: false,
  };
  counts.ok = lostMessages.length === 0 && lostNotifications.length === 0 && misplaced.length === 0 && unexpected === 0 && duplicatesOutsideWindows === 0;
  return counts;
}

/** Extra copies beyond the first, summed: what the table calls duplicates. */
export function extraCopies(duplicates: readonly Duplicate[]): number {
  return duplicates.reduce((sum, d) => sum + d.copies - 1, 0);
}
