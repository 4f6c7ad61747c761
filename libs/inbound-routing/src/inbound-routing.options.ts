export interface InboundRoutingOptions {
  aliasDomain: string;
  legacyAliasDomains: string[];
  /** From address of bounce-backs. */
  bounceFrom: string;
  /** Addresses the platform sends from: mail from them coming back is a loop. */
  platformAddresses: string[];
  /** Senders whose mail is quarantined: exact addresses or `@domain`. */
  blocklist: string[];
  /** Attachments adding up to more make the email "too large" (bounced). */
  maxAttachmentBytes: number;
  /**
   * Reads the delivery id out of a notification's VERP bounce address (bounces+…@ALIAS_DOMAIN);
   * null for any other address. Unset: delivery reports are only ignored.
   */
  deliveryOfBounceAddress?: (address: string) => string | null;
}

export const INBOUND_ROUTING_OPTIONS = Symbol('INBOUND_ROUTING_OPTIONS');
