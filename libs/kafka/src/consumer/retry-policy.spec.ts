import { backoffDelay, errorCodeOf, isRetryable, NonRetryableError, isStoreOutage } from './retry-policy';

describe('backoffDelay', () => {
  const policy = { maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 1_000 };

  it('doubles the ceiling each attempt, between half and all of it', () => {
    expect(backoffDelay(policy, 1, () => 0)).toBe(50);
    expect(backoffDelay(policy, 1, () => 1)).toBe(100);
    expect(backoffDelay(policy, 2, () => 1)).toBe(200);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(300);
  });

  it('never exceeds the maximum delay', () => {
    expect(backoffDelay(policy, 30, () => 1)).toBe(1_000);
  });
});

describe('error classification', () => {
  it('treats NonRetryableError and retryable:false as permanent', () => {
    expect(isRetryable(new NonRetryableError('bad payload'))).toBe(false);
    expect(isRetryable(Object.assign(new Error('x'), { retryable: false }))).toBe(false);
    expect(isRetryable(new Error('timeout'))).toBe(true);
  });

  it('names an error by its code, else its class', () => {
    expect(errorCodeOf(new NonRetryableError('x', 'MALFORMED_EVENT'))).toBe('MALFORMED_EVENT');
    expect(errorCodeOf(new TypeError('x'))).toBe('TypeError');
    expect(errorCodeOf('string')).toBe('UNKNOWN');
  });
});

describe('isStoreOutage', () => {
  function named(name: string, message = 'x', extra: Record<string, unknown> = {}): Error {
    const error = new Error(message);
    error.name = name;
    return Object.assign(error, extra);
  }

  it('recognises MongoDB being out of reach, directly or as the cause of a wrapped error', () => {
    expect(isStoreOutage(named('MongoServerSelectionError', 'connect ECONNREFUSED 127.0.0.1:27017'))).toBe(true);
    expect(isStoreOutage(named('MongoPoolClearedError'))).toBe(true);
    expect(isStoreOutage(named('MongoNetworkError'))).toBe(true);
    expect(isStoreOutage(new Error('Could not add the message', { cause: named('MongoNetworkTimeoutError') }))).toBe(true);
    expect(isStoreOutage(named('MongooseError', 'Operation `deliveries.findOne()` buffering timed out after 10000ms'))).toBe(true);
  });

  it('recognises the blob store being unavailable, but not a missing blob', () => {
    expect(isStoreOutage(named('BlobStoreError', 'S3 blob store failed', { category: 'UNAVAILABLE' }))).toBe(true);
    expect(isStoreOutage(named('BlobStoreError', 'No blob stored', { category: 'NOT_FOUND' }))).toBe(false);
  });

  it('does not treat other failures as outages', () => {
    expect(isStoreOutage(named('MongoServerError', 'E11000 duplicate key'))).toBe(false);
    expect(isStoreOutage(new TypeError('cannot read properties of undefined'))).toBe(false);
    expect(isStoreOutage(named('LegacySystemError', 'legacy system unavailable', { category: 'UNAVAILABLE' }))).toBe(false);
    expect(isStoreOutage(undefined)).toBe(false);
    expect(isStoreOutage('MongoServerSelectionError')).toBe(false);
  });
});
