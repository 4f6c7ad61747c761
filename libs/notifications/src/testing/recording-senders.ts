import { EmailSender, NotificationProvider, OutgoingEmail, ProviderRequest } from '../domain/delivery-ports';
import { PermanentDeliveryError, TransientDeliveryError } from '../domain/delivery.errors';
import { clone } from './clone';

/** How a fake channel refuses a send: `transient` (4xx, timeout, 5xx from an API) or `permanent` (5xx for a mailbox, 4xx from an API). */
export type SendFailure = 'transient' | 'permanent';

interface FailureRule<T> {
  kind: SendFailure;
  remaining: number;
  matches: (item: T) => boolean;
}

/**
 * What a fake channel does, shared by the email and provider fakes: records every attempt and
 * every accepted send, fails when told to, and runs `beforeSend` first (a delay, or a race to
 * set up while a send is in flight).
 */
abstract class RecordingChannel<T> {
  /** Everything accepted, in order. */
  readonly sent: T[] = [];
  /** Every call, refused ones included. */
  readonly attempts: T[] = [];
  /** Runs before each send is decided; what it throws is what the send throws. */
  beforeSend?: (item: T) => unknown | Promise<unknown>;
  private readonly rules: FailureRule<T>[] = [];

  /** Refuses the next `times` sends (default 1; Infinity for all) that `matches` (default: any). */
  fail(kind: SendFailure, options: { times?: number; matches?: (item: T) => boolean } = {}): this {
    this.rules.push({ kind, remaining: options.times ?? 1, matches: options.matches ?? (() => true) });
    return this;
  }

  /** Stops refusing. */
  recover(): this {
    this.rules.length = 0;
    return this;
  }

  protected async record(item: T, what: string, accept: () => void): Promise<void> {
    this.attempts.push(item);
    await this.beforeSend?.(item);
    const rule = this.rules.find((r) => r.remaining > 0 && r.matches(item));
    if (rule) {
      rule.remaining -= 1;
      if (rule.kind === 'permanent') throw new PermanentDeliveryError(`${what} refused for good (fake)`);
      throw new TransientDeliveryError(`${what} is unavailable (fake)`);
    }
    this.sent.push(item);
    accept();
  }
}

/** An SMTP server that accepts everything unless told otherwise. */
export class RecordingEmailSender extends RecordingChannel<OutgoingEmail> implements EmailSender {
  async send(email: OutgoingEmail): Promise<{ accepted: true; response: string }> {
    await this.record(clone(email), `SMTP to ${email.to.address}`, () => undefined);
    return { accepted: true, response: `250 2.0.0 Ok: queued as fake-${this.sent.length}` };
  }

  /** Emails accepted for one address. */
  sentTo(address: string): OutgoingEmail[] {
    return this.sent.filter((email) => email.to.address === address);
  }

  /** Refuses the sends to one address. */
  failFor(address: string, kind: SendFailure, times = 1): this {
    return this.fail(kind, { times, matches: (email) => email.to.address === address });
  }
}

/** The SMS/push provider's API, accepting everything unless told otherwise. */
export class RecordingNotificationProvider extends RecordingChannel<ProviderRequest> implements NotificationProvider {
  async send(request: ProviderRequest): Promise<{ providerMessageId: string }> {
    await this.record(clone(request), `Provider ${request.channel}`, () => undefined);
    return { providerMessageId: `pm-${request.idempotencyKey}` };
  }

  sentTo(recipient: string): ProviderRequest[] {
    return this.sent.filter((request) => request.recipient === recipient);
  }
}
