/**
 * The legacy system, seen from the new platform (DESIGN §4 cases 3-6): it takes over emails
 * addressed to its aliases and tells which of its conversations an alias belongs to, and which
 * conversation of the new platform that one was migrated to, if any.
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

export interface LegacySystem {
  /** Idempotent: handing the same email over twice for one alias is harmless. */
  handOverInboundEmail(handOver: LegacyHandOver): Promise<LegacyHandOverResult[]>;
  /** Null when the legacy system does not know the alias. */
  resolveAlias(address: string): Promise<LegacyAlias | null>;
}

export const LEGACY_SYSTEM = Symbol('LEGACY_SYSTEM');
