import { ErrorCategory } from '@libs/contracts';
import { parseStatusWebhook, statusUpdateOf } from './status-webhook-payload';
import { InvalidStatusWebhookError, StatusWebhookErrorCode } from './status-webhook.errors';

const valid = {
  idempotencyKey: 'dlv_6650f0c1:sms',
  providerMessageId: 'msg_01HV3',
  status: 'delivered',
  reason: null,
  occurredAt: '2025-03-01T12:00:05.120Z',
};

function problemsOf(value: unknown): InvalidStatusWebhookError {
  try {
    statusUpdateOf(value);
  } catch (error) {
    if (error instanceof InvalidStatusWebhookError) return error;
    throw error;
  }
  throw new Error('expected the payload to be refused');
}

describe('parseStatusWebhook', () => {
  it('turns a valid report into the command update, from the provider webhook', () => {
    expect(parseStatusWebhook(Buffer.from(JSON.stringify(valid)))).toEqual({
      deliveryId: 'dlv_6650f0c1:sms',
      providerMessageId: 'msg_01HV3',
      status: 'delivered',
      reason: null,
      occurredAt: new Date('2025-03-01T12:00:05.120Z'),
      source: 'provider-webhook',
    });
  });

  it('takes the optional fields as absent, and ignores unknown fields', () => {
    const update = parseStatusWebhook(JSON.stringify({ idempotencyKey: 'k', status: 'failed', occurredAt: '2025-03-01T14:00:05+02:00', carrier: 'Orange' }));
    expect(update).toEqual({ deliveryId: 'k', status: 'failed', reason: null, providerMessageId: null, occurredAt: new Date('2025-03-01T12:00:05Z'), source: 'provider-webhook' });
  });

  it('cleans the reason: control characters out, trimmed, at most 300 characters', () => {
    expect(statusUpdateOf({ ...valid, status: 'bounced', reason: '  unknown\r\n\tsubscriber \u0000 ' }).reason).toBe('unknown subscriber');
    expect(statusUpdateOf({ ...valid, reason: `${'a'.repeat(299)} bbb` }).reason).toBe('a'.repeat(299));
    expect(statusUpdateOf({ ...valid, reason: 'é'.repeat(400) }).reason).toHaveLength(300);
    expect(statusUpdateOf({ ...valid, reason: ' \n ' }).reason).toBeNull();
  });

  it('keeps nanosecond fractions to the millisecond', () => {
    expect(statusUpdateOf({ ...valid, occurredAt: '2025-03-01T12:00:05.123456789Z' }).occurredAt).toEqual(new Date('2025-03-01T12:00:05.123Z'));
  });

  it('refuses a body that is not JSON, or not an object', () => {
    for (const raw of ['not json', '', '[1]', 'null', '"delivered"']) {
      const error = (() => {
        try {
          parseStatusWebhook(raw);
        } catch (e) {
          return e as InvalidStatusWebhookError;
        }
      })();
      expect(error).toBeInstanceOf(InvalidStatusWebhookError);
      expect(error?.fields).toEqual(['body']);
    }
  });

  it.each([
    ['idempotencyKey', { idempotencyKey: undefined }],
    ['idempotencyKey', { idempotencyKey: '' }],
    ['idempotencyKey', { idempotencyKey: 'a'.repeat(101) }],
    ['idempotencyKey', { idempotencyKey: 'dlv 1' }],
    ['idempotencyKey', { idempotencyKey: 'dlv/../1' }],
    ['idempotencyKey', { idempotencyKey: 42 }],
    ['status', { status: 'sent' }],
    ['status', { status: 'DELIVERED' }],
    ['status', { status: undefined }],
    ['occurredAt', { occurredAt: undefined }],
    ['occurredAt', { occurredAt: 1740830405 }],
    ['occurredAt', { occurredAt: '2025-03-01' }],
    ['occurredAt', { occurredAt: '2025-03-01T12:00Z' }],
    ['occurredAt', { occurredAt: '2025-03-01T12:00:05' }],
    ['occurredAt', { occurredAt: '2025-02-30T12:00:05Z' }],
    ['occurredAt', { occurredAt: '2025-03-01T24:00:00Z' }],
    ['occurredAt', { occurredAt: 'Sat, 01 Mar 2025 12:00:05 GMT' }],
    ['providerMessageId', { providerMessageId: '' }],
    ['providerMessageId', { providerMessageId: 'msg 1' }],
    ['providerMessageId', { providerMessageId: 'm'.repeat(201) }],
    ['providerMessageId', { providerMessageId: 7 }],
    ['reason', { reason: { text: 'x' } }],
  ])('refuses a bad %s (%j), naming it', (field, change) => {
    const error = problemsOf({ ...valid, ...change });
    expect(error.fields).toEqual([field]);
    expect(error).toMatchObject({ code: StatusWebhookErrorCode.InvalidPayload, category: ErrorCategory.Invalid });
    expect(error.message).toContain(field);
  });

  it('lists every bad field at once', () => {
    const error = problemsOf({ idempotencyKey: 'ok', status: 'sent', occurredAt: 'yesterday', reason: 3 });
    expect(error.fields).toEqual(['status', 'occurredAt', 'reason']);
    expect(error.message).toBe(
      'Invalid status webhook: status must be one of delivered, bounced, failed; occurredAt must be an ISO-8601 date-time with seconds and a time zone; reason must be a string.',
    );
  });

  it('accepts a leap day', () => {
    expect(statusUpdateOf({ ...valid, occurredAt: '2024-02-29T00:00:00Z' }).occurredAt).toEqual(new Date('2024-02-29T00:00:00Z'));
  });
});
