import { ProviderChannel } from './channel';

/**
 * One email as it leaves, fully composed (headers, bodies, envelope). Built by `composeEmail`
 * (email/email-composer.ts) and sent by an EmailSender.
 */
export interface OutgoingEmail {
  from: { name: string; address: string };
  to: { name: string; address: string };
  replyTo: string | null;
  subject: string;
  text: string;
  html: string;
  /** With angle brackets, e.g. `<m.abc.p1@relay.example.com>`. Stable per delivery. */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  /** Extra headers (Auto-Submitted, List-Unsubscribe, …). */
  headers: Record<string, string>;
  /** SMTP MAIL FROM: the VERP bounce address of the delivery, so DSNs find it. */
  envelopeFrom: string;
}

export interface EmailSender {
  /**
   * Resolves when the SMTP server accepted the message (250). Throws TransientDeliveryError
   * (connection refused, timeout, 4xx) or PermanentDeliveryError (5xx for this recipient).
   */
  send(email: OutgoingEmail): Promise<{ accepted: true; response: string }>;
}
export const EMAIL_SENDER = Symbol('EMAIL_SENDER');

/** The provider request's JSON body: docs/notification-provider.md. */
export interface ProviderRequest {
  channel: ProviderChannel;
  /** E.164 phone number for sms, device push token for push. */
  recipient: string;
  /** Template name at the provider, e.g. `new-message`, `reminder`. */
  template: string;
  /** Template data: strings, numbers, booleans only. */
  data: Record<string, string | number | boolean | null>;
  /** The delivery id: the provider keeps one message per key. Also echoed in status webhooks. */
  idempotencyKey: string;
}

export interface NotificationProvider {
  /** Throws TransientDeliveryError (network, timeout, 5xx, 429) or PermanentDeliveryError (other 4xx). */
  send(request: ProviderRequest): Promise<{ providerMessageId: string }>;
}
export const NOTIFICATION_PROVIDER = Symbol('NOTIFICATION_PROVIDER');
