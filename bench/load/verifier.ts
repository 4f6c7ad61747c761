/**
 * Checks every email of a load run: stored once, and every other participant notified once.
 * Pure: it is given what was sent, what the database holds and what the SMTP server accepted.
 */

/** One email the bench posted. */
export interface SentEmail {
  token: string;
  conversationId: string;
  /** Addresses (lower-case) that must each receive one notification. */
  notify: string[];
  /** Epoch ms the post was scheduled for (open loop) and actually sent. */
  scheduledAt: number;
  sentAt: number;
  /** Epoch ms of the 2xx answer; undefined when the post failed. */
  ackAt?: number;
  status?: number;
  error?: string;
}

/** One MessageAdded event found in the conversation log. */
export interface StoredMessage {
  token: string;
  conversationId: string;
  /** Epoch ms the event was committed (its occurredAt). */
  storedAt: number;
  /** Epoch ms the event was appended to conversation.events (Kafka record timestamp), when seen. */
  publishedAt?: number;
}

/** One notification the SMTP server accepted, matched to a token. */
export interface AcceptedNotification {
  token: string | null;
  recipient: string;
  messageId: string;
  acceptedAt: number;
}

export interface Verification {
  sent: number;
  acked: number;
  errors: number;
  /** Acknowledged emails with no stored message. */
  notStored: number;
  /** Acknowledged emails missing at least one notification. */
  notNotified: number;
  /** Notifications expected but not accepted. */
  missingNotifications: number;
  /** Acknowledged emails not stored or not fully notified. */
  lost: number;
  /** Extra copies of a stored message (same email stored more than once). */
  duplicateStored: number;
  /** Extra copies of a notification (same Message-ID, or same email and recipient, accepted again). */
  duplicateNotifications: number;
  duplicates: number;
  /** Emails that failed at the ingress (not acknowledged) but were stored anyway. */
  storedWithoutAck: number;
  /** Notifications that match no expected (email, recipient) pair of this run. */
  unexpectedNotifications: number;
  expectedNotifications: number;
  /** Samples in ms, one per stored message (relay, publish) or per notification (notify, e2e). */
  latency: { relay: number[]; publish: number[]; notify: number[]; e2e: number[] };
  /** Epoch ms of the first stored message and last notification, for throughput. */
  lastStoredAt?: number;
  lastNotifiedAt?: number;
  /** Per stored email: ack time and completion (all notifications) time, for series. */
  completions: { ackAt: number; storedAt: number; notifiedAt?: number }[];
  /** A few tokens of lost emails, to look them up. */
  lostExamples: string[];
}

export function verify(sent: readonly SentEmail[], stored: readonly StoredMessage[], notifications: readonly AcceptedNotification[]): Verification {
  const byToken = new Map(sent.map((s) => [s.token, s]));
  const storedBy = new Map<string, StoredMessage[]>();
  for (const message of stored) {
    if (!byToken.has(message.token)) continue;
    storedBy.set(message.token, [...(storedBy.get(message.token) ?? []), message]);
  }
  const notifiedBy = new Map<string, AcceptedNotification[]>();
  const seenMessageIds = new Set<string>();
  let duplicateNotifications = 0;
  let unexpectedNotifications = 0;
  for (const n of notifications) {
    const email = n.token ? byToken.get(n.token) : undefined;
    if (!email || !email.notify.includes(n.recipient)) {
      unexpectedNotifications++;
      continue;
    }
    const key = `${n.token}\u0000${n.recipient}`;
    const earlier = notifiedBy.get(key);
    if (earlier || (n.messageId && seenMessageIds.has(n.messageId))) duplicateNotifications++;
    if (n.messageId) seenMessageIds.add(n.messageId);
    notifiedBy.set(key, [...(earlier ?? []), n]);
  }

  const result: Verification = {
    sent: sent.length,
    acked: 0,
    errors: 0,
    notStored: 0,
    notNotified: 0,
    missingNotifications: 0,
    lost: 0,
    duplicateStored: 0,
    duplicateNotifications,
    duplicates: 0,
    storedWithoutAck: 0,
    unexpectedNotifications,
    expectedNotifications: 0,
    latency: { relay: [], publish: [], notify: [], e2e: [] },
    completions: [],
    lostExamples: [],
  };
  for (const email of sent) {
    const copies = storedBy.get(email.token) ?? [];
    result.duplicateStored += Math.max(0, copies.length - 1);
    if (email.ackAt === undefined) {
      result.errors++;
      if (copies.length > 0) result.storedWithoutAck++;
      continue;
    }
    result.acked++;
    result.expectedNotifications += email.notify.length;
    const first = copies.sort((a, b) => a.storedAt - b.storedAt)[0];
    let missing = 0;
    let lastNotified = 0;
    for (const recipient of email.notify) {
      const accepted = notifiedBy.get(`${email.token}\u0000${recipient}`);
      if (!accepted) {
        missing++;
        continue;
      }
      const at = Math.min(...accepted.map((a) => a.acceptedAt));
      lastNotified = Math.max(lastNotified, at);
      result.latency.e2e.push(at - email.ackAt);
      if (first) result.latency.notify.push(at - first.storedAt);
      result.lastNotifiedAt = Math.max(result.lastNotifiedAt ?? 0, at);
    }
    result.missingNotifications += missing;
    if (missing > 0) result.notNotified++;
    if (!first) result.notStored++;
    if (!first || missing > 0) {
      result.lost++;
      if (result.lostExamples.length < 10) result.lostExamples.push(email.token);
    }
    if (first) {
      result.latency.relay.push(first.storedAt - email.ackAt);
      if (first.publishedAt !== undefined) result.latency.publish.push(first.publishedAt - first.storedAt);
      result.lastStoredAt = Math.max(result.lastStoredAt ?? 0, first.storedAt);
      result.completions.push({ ackAt: email.ackAt, storedAt: first.storedAt, notifiedAt: missing === 0 && email.notify.length > 0 ? lastNotified : undefined });
    }
  }
  result.duplicates = result.duplicateStored + result.duplicateNotifications;
  return result;
}
