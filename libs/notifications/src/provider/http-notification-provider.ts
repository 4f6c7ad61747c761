import { JsonAnswer, ResilientJsonClient, ServiceUnreachableError, remoteErrorOf } from '@libs/http-client';
import { NotificationProvider, ProviderRequest } from '../domain/delivery-ports';
import { PermanentDeliveryError, TransientDeliveryError } from '../domain/delivery.errors';

export interface HttpNotificationProviderOptions {
  /** Base URL of the SMS/push provider, e.g. https://notify.example.net; `/v1/messages` is appended. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
  /** Per attempt. */
  timeoutMs: number;
  /**
   * Quick attempts after the first one, for network errors, timeouts, 5xx and 429 (default 1).
   * Kept small: the delivery core retries the whole delivery with its own, longer backoff.
   */
  retries?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** For tests. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export const PROVIDER_MESSAGES_PATH = '/v1/messages';
export const PROVIDER_IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** The provider's own ids are opaque; this only keeps absurd values out of our records. */
const MAX_PROVIDER_MESSAGE_ID_LENGTH = 200;
const MAX_REMOTE_MESSAGE_LENGTH = 200;

/**
 * A refusal for good by the provider (a 4xx other than those below): the status and the
 * provider's code travel with the error, so the delivery's failure reason can name them.
 */
export class ProviderRejectedError extends PermanentDeliveryError {
  constructor(
    readonly httpStatus: number,
    readonly providerCode: string | undefined,
    providerMessage: string | undefined,
  ) {
    const detail = [providerCode, providerMessage].filter(Boolean).join(': ');
    super(`The notification provider refused the message (HTTP ${httpStatus}${detail ? `, ${detail}` : ''}).`);
  }
}

/**
 * The SMS/push provider over HTTP, speaking docs/notification-provider.md: one
 * `POST /v1/messages` per delivery, with the delivery id as `Idempotency-Key`, so any repeat
 * (our quick retry, the delivery core's retry, a redelivery after a crash) is the same message.
 *
 * - 200/201/202 `{ id }`, and 409 `{ id }` (the provider already has this key): sent.
 * - network errors, timeouts, 5xx, 429: retried `retries` times here, then
 *   TransientDeliveryError for the delivery core to retry later.
 * - 401/403 (our credentials), 408, and 409 without an id (the same key still in flight at the
 *   provider): TransientDeliveryError — repeating can succeed once that is over, and a
 *   misconfigured token must not fail every delivery for good.
 * - any other 4xx: ProviderRejectedError (a PermanentDeliveryError) with the provider's code.
 */
export class HttpNotificationProvider implements NotificationProvider {
  private readonly client: ResilientJsonClient;

  constructor(options: HttpNotificationProviderOptions) {
    this.client = new ResilientJsonClient({
      baseUrl: options.baseUrl,
      headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
      timeoutMs: options.timeoutMs,
      retries: options.retries ?? 1,
      initialBackoffMs: options.initialBackoffMs,
      maxBackoffMs: options.maxBackoffMs,
      fetch: options.fetch,
      sleep: options.sleep,
    });
  }

  async send(request: ProviderRequest): Promise<{ providerMessageId: string }> {
    // Exactly the documented fields, whatever else the caller's object carries.
    const payload: ProviderRequest = {
      channel: request.channel,
      recipient: request.recipient,
      template: request.template,
      data: request.data,
      idempotencyKey: request.idempotencyKey,
    };
    const { status, body } = await this.post(payload);
    if (status === 200 || status === 201 || status === 202 || status === 409) {
      const id = messageIdOf(body);
      if (id) return { providerMessageId: id };
      if (status === 409) {
        throw new TransientDeliveryError('The notification provider is still processing an earlier request with this idempotency key.');
      }
      // It probably has the message; a retry with the same key returns its id.
      throw new TransientDeliveryError(`The notification provider answered HTTP ${status} without a message id.`);
    }
    const remote = remoteErrorOf(body, MAX_REMOTE_MESSAGE_LENGTH);
    if (status === 401 || status === 403) {
      throw new TransientDeliveryError(`The notification provider refused our credentials (HTTP ${status}${remote.code ? `, ${remote.code}` : ''}); check NOTIFY_PROVIDER_TOKEN.`);
    }
    if (status === 408) throw new TransientDeliveryError('The notification provider timed out reading the request (HTTP 408).');
    if (status >= 400 && status < 500) throw new ProviderRejectedError(status, remote.code, remote.message);
    // 1xx/3xx: not part of the contract (a proxy, a redirect); nothing says the message is lost.
    throw new TransientDeliveryError(`The notification provider answered an unexpected HTTP ${status}.`);
  }

  private async post(payload: ProviderRequest): Promise<JsonAnswer> {
    try {
      return await this.client.request('POST', PROVIDER_MESSAGES_PATH, payload, { [PROVIDER_IDEMPOTENCY_KEY_HEADER]: payload.idempotencyKey });
    } catch (error) {
      if (error instanceof ServiceUnreachableError) {
        throw new TransientDeliveryError('The notification provider is unavailable; try again later.', { cause: error.cause ?? error });
      }
      throw error;
    }
  }
}

function messageIdOf(body: unknown): string | undefined {
  const id = (body as { id?: unknown } | undefined)?.id;
  // The contract says a string; an integer id is taken too rather than failing a sent message.
  const text = typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : id;
  return typeof text === 'string' && text.length > 0 && text.length <= MAX_PROVIDER_MESSAGE_ID_LENGTH ? text : undefined;
}
