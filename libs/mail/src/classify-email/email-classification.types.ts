export const EMAIL_KINDS = ['message', 'auto-reply', 'delivery-status', 'bulk', 'loop', 'spam'] as const;

/**
 * What an inbound email is, which decides what the relay does with it:
 * `message` is posted; `spam` is quarantined; the others are dropped (counted, never posted and
 * never answered with a bounce).
 */
export type EmailKind = (typeof EMAIL_KINDS)[number];

export interface EmailClassification {
  kind: EmailKind;
  /** Which signal decided, for logs and metrics; never shown to the sender. */
  reason: string;
}

export interface ClassifyEmailOptions {
  /** Addresses the platform sends from (notifications, bounces). */
  platformAddresses: readonly string[];
  /** The domain conversation aliases live in: nobody but the platform sends from it. */
  aliasDomain: string;
  /** Senders to quarantine: exact addresses, or `@domain` for a whole domain. */
  blocklist?: readonly string[];
  /** Quarantine when a provider's spam score reaches this, even without its own yes/no verdict. */
  spamScoreThreshold?: number;
}
