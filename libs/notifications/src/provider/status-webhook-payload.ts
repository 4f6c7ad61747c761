import { DeliveryStatusUpdate, ReportedDeliveryStatus } from '../application/commands/update-delivery-status/update-delivery-status.command';
import { InvalidStatusWebhookError, StatusWebhookProblem } from './status-webhook.errors';

/** The JSON body of the provider's status webhook: docs/notification-provider.md. */
export interface StatusWebhookPayload {
  /** Ours: the delivery id we sent as the idempotency key. */
  idempotencyKey: string;
  providerMessageId?: string | null;
  status: ReportedDeliveryStatus;
  reason?: string | null;
  /** ISO-8601 with seconds and a zone, e.g. `2025-03-01T12:00:05.120Z`. */
  occurredAt: string;
}

export const REPORTED_STATUSES: readonly ReportedDeliveryStatus[] = ['delivered', 'bounced', 'failed'];
export const MAX_IDEMPOTENCY_KEY_LENGTH = 100;
export const MAX_PROVIDER_MESSAGE_ID_LENGTH = 200;
export const MAX_REASON_LENGTH = 300;

const IDEMPOTENCY_KEY = /^[A-Za-z0-9:_-]+$/;
/** Visible ASCII only: an opaque id, logged and stored as is. */
const PROVIDER_MESSAGE_ID = /^[\x21-\x7e]+$/;
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-](\d{2}):(\d{2}))$/;

/** Parses the raw body of a (verified) status webhook. Throws InvalidStatusWebhookError. */
export function parseStatusWebhook(rawBody: Buffer | string): DeliveryStatusUpdate {
  let value: unknown;
  try {
    value = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'));
  } catch {
    throw new InvalidStatusWebhookError([{ field: 'body', problem: 'is not JSON' }]);
  }
  return statusUpdateOf(value);
}

/**
 * Validates a status webhook's JSON value and turns it into the command's update. Unknown
 * fields are ignored, so the provider can add some; a reason is cleaned (control characters
 * removed, trimmed, cut to 300 characters) rather than refused, since the status matters more.
 */
export function statusUpdateOf(value: unknown): DeliveryStatusUpdate {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidStatusWebhookError([{ field: 'body', problem: 'must be a JSON object' }]);
  }
  const body = value as Record<string, unknown>;
  const problems: StatusWebhookProblem[] = [];

  const key = body.idempotencyKey;
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !IDEMPOTENCY_KEY.test(key)) {
    problems.push({ field: 'idempotencyKey', problem: `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters of A-Z a-z 0-9 : _ -` });
  }

  const status = body.status;
  if (typeof status !== 'string' || !(REPORTED_STATUSES as readonly string[]).includes(status)) {
    problems.push({ field: 'status', problem: `must be one of ${REPORTED_STATUSES.join(', ')}` });
  }

  const occurredAt = typeof body.occurredAt === 'string' ? parseIsoDate(body.occurredAt) : null;
  if (!occurredAt) problems.push({ field: 'occurredAt', problem: 'must be an ISO-8601 date-time with seconds and a time zone' });

  const providerMessageId = body.providerMessageId;
  const providerIdValid =
    providerMessageId === undefined ||
    providerMessageId === null ||
    (typeof providerMessageId === 'string' && providerMessageId.length <= MAX_PROVIDER_MESSAGE_ID_LENGTH && PROVIDER_MESSAGE_ID.test(providerMessageId));
  if (!providerIdValid) problems.push({ field: 'providerMessageId', problem: `must be 1 to ${MAX_PROVIDER_MESSAGE_ID_LENGTH} visible ASCII characters` });

  const reason = body.reason;
  if (reason !== undefined && reason !== null && typeof reason !== 'string') problems.push({ field: 'reason', problem: 'must be a string' });

  if (problems.length > 0) throw new InvalidStatusWebhookError(problems);
  return {
    deliveryId: key as string,
    status: status as ReportedDeliveryStatus,
    reason: typeof reason === 'string' ? cleanReason(reason) : null,
    providerMessageId: typeof providerMessageId === 'string' ? providerMessageId : null,
    occurredAt: occurredAt as Date,
    source: 'provider-webhook',
  };
}

function cleanReason(reason: string): string | null {
  const cleaned = reason
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, MAX_REASON_LENGTH)
    .trimEnd();
  return cleaned.length > 0 ? cleaned : null;
}

/** Strict ISO-8601: Date.parse alone takes 2025-02-31 (as 3 March) and other approximations. */
function parseIsoDate(text: string): Date | null {
  const match = ISO_8601.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, zone, zh, zm] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  if (zone !== 'Z' && (Number(zh) > 14 || Number(zm) > 59)) return null;
  const millis = fraction ? `.${fraction.slice(0, 3)}` : '';
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${millis}${zone}`);
  return Number.isNaN(date.getTime()) ? null : date;
}
