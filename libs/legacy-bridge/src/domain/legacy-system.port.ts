/**
 * The legacy system, seen from the new platform (DESIGN §4 cases 3-6): it takes over emails
 * addressed to its aliases and tells which of its conversations an alias belongs to, and which
 * conversation of the new platform that one was migrated to, if any.
 *
 * For the notifier (DESIGN §5, suppress and parallel) it also stores and indexes the messages of
 * migrated conversations for its own readers, sends its own notifications unless told not to,
 * cancels its reminders, and tells which addresses a person used over time.
 */
export interface LegacyHandOver {
  /** The inbound email (SHA-256 of the raw bytes). With each alias, the hand-over's idempotency key. */
  inboundEmailId: string;
  /** Where the raw email is, unchanged, in the shared blob store. */
  blobKey: string;
  rawSha256: string;
  /** The legacy aliases the email addressed; each is handed over on its own. */
  legacyAliases: string[];
  /** SMTP MAIL FROM; null for the null sender. */
  envelopeSender: string | null;
}

export interface LegacyHandOverResult {
  alias: string;
  /** The legacy system already had this email for this alias (a redelivery). */
  duplicate: boolean;
}

export interface LegacyAlias {
  legacyConversationId: string;
  /** The conversation of the new platform the legacy conversation was migrated to, if any. */
  conversationId: string | null;
}

export type LegacyMessageSource = 'CHAT' | 'EMAIL' | 'LEGACY';

/** One message of a conversation, posted to the legacy system (`POST /messages`). */
export interface LegacyPostMessage {
  /**
   * Makes the post happen once however often it is sent. The notifier uses `<conversationId>:<seq>`
   * of the message event: the same key as its own deliveries' source, so one message is one
   * notification set across both systems.
   */
  idempotencyKey: string;
  conversationId: string;
  useCase: string | null;
  subject: string;
  message: {
    id: string;
    body: string;
    /** ISO-8601. */
    createdAt: string;
    authorEmail: string;
    authorDisplayName: string;
    source: LegacyMessageSource;
  };
  participants: { email: string; displayName: string; role: string | null }[];
  /** True: store and index only (PARALLEL, the new path notifies). False: the legacy system notifies (LEGACY_ONLY). */
  suppressNotification: boolean;
}

export interface LegacyPostMessageResult {
  legacyMessageId: string;
  /** The legacy system already had a message with this idempotency key: nothing new happened. */
  duplicate: boolean;
}

/** Ends the legacy system's reminders for one participant of one conversation (`POST /reminder-cancellations`). */
export interface LegacyCancelReminders {
  idempotencyKey: string;
  conversationId: string;
  participantEmail: string;
  reason: 'read' | 'reply';
}

/** A notification the legacy system sent for a message. */
export interface LegacyNotificationSent {
  recipient: string;
  channel: string;
}

export interface LegacySystem {
  /** Idempotent: handing the same email over twice for one alias is harmless. */
  handOverInboundEmail(handOver: LegacyHandOver): Promise<LegacyHandOverResult[]>;
  /** Null when the legacy system does not know the alias. */
  resolveAlias(address: string): Promise<LegacyAlias | null>;
  /** Idempotent by `call.idempotencyKey`: a repeat answers `duplicate: true` and notifies nobody again. */
  postMessage(call: LegacyPostMessage): Promise<LegacyPostMessageResult>;
  /** Idempotent by `call.idempotencyKey`. */
  cancelReminders(call: LegacyCancelReminders): Promise<void>;
  /**
   * The other addresses the legacy system knows for the person behind `address` (lower-cased,
   * without `address` itself); [] when it does not know the person.
   */
  senderAddresses(address: string): Promise<string[]>;
  /** What the legacy system sent for the message posted with this idempotency key; null when it has no such message. */
  notificationsSent(idempotencyKey: string): Promise<LegacyNotificationSent[] | null>;
}

export const LEGACY_SYSTEM = Symbol('LEGACY_SYSTEM');
