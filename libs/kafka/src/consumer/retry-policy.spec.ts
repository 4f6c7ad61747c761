import { backoffDelay, errorCodeOf, isRetryable, NonRetryableError } from './retry-policy';

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
