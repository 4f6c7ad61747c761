import { IntegrationEvent } from './envelope';

/**
 * Events of `inbound-email.received`, keyed by the inbound email id. The gateway publishes one
 * once the raw message is durably in the blob store; the relay consumes it, reads the raw bytes
 * back by `blobKey` and decides what the email becomes.
 */
export type InboundEmailProvider = 'mailgun' | 'mta';

export interface InboundEmailEnvelope {
  /** SMTP MAIL FROM as the provider reported it; null for the null sender (`<>`, bounces) or when unknown. */
  sender: string | null;
  /**
   * SMTP RCPT TO addresses of this delivery, lower-cased: the only place a Bcc'd alias appears.
   * The same raw email may arrive again with further recipients; each such delivery is one event.
   */
  recipients: string[];
}

export interface InboundEmailReceivedData {
  /** The SHA-256 (hex) of the raw bytes: the same raw email is one inbound email. */
  inboundEmailId: string;
  blobKey: string;
  sha256: string;
  size: number;
  provider: InboundEmailProvider;
  envelope: InboundEmailEnvelope;
  /** When the raw email was first received (ISO 8601). */
  receivedAt: string;
  /** The ingress request id, to follow one email through the apps' logs. */
  traceId: string;
}

export const INBOUND_EMAIL_RECEIVED = 'InboundEmailReceived';
export const INBOUND_EMAIL_RECEIVED_VERSION = 1;

export type InboundEmailReceivedEvent = IntegrationEvent<typeof INBOUND_EMAIL_RECEIVED, InboundEmailReceivedData> & {
  version: typeof INBOUND_EMAIL_RECEIVED_VERSION;
};
