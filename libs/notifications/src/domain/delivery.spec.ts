import { createHash } from 'node:crypto';
import { CHANNELS } from './channel';
import { DELIVERY_STATES, DeliveryState, canMove, deliveryIdOf, isFinal, statesBefore } from './delivery';

describe('delivery states', () => {
  // Rows: from; columns: to, in DELIVERY_STATES order (pending, sent, delivered, bounced, failed).
  const allowed: Record<DeliveryState, [boolean, boolean, boolean, boolean, boolean]> = {
    pending: [false, true, true, true, true],
    sent: [false, false, true, true, true],
    delivered: [false, false, false, true, false],
    bounced: [false, false, false, false, false],
    failed: [false, false, false, false, false],
  };

  it.each(DELIVERY_STATES.flatMap((from) => DELIVERY_STATES.map((to, i) => [from, to, allowed[from][i]] as const)))('%s → %s allowed: %s', (from, to, expected) => {
    expect(canMove(from, to)).toBe(expected);
  });

  it('never moves back: nothing leads to pending, and sent is reached from pending only', () => {
    expect(DELIVERY_STATES.filter((from) => canMove(from, 'pending'))).toEqual([]);
    expect(DELIVERY_STATES.filter((from) => canMove(from, 'sent'))).toEqual(['pending']);
  });

  it('lets a late DSN turn delivered into bounced, but not into failed', () => {
    expect(canMove('delivered', 'bounced')).toBe(true);
    expect(canMove('delivered', 'failed')).toBe(false);
  });

  it('gives the states a conditional update may start from', () => {
    expect(statesBefore('pending')).toEqual([]);
    expect(statesBefore('sent')).toEqual(['pending']);
    expect(statesBefore('delivered')).toEqual(['pending', 'sent']);
    expect(statesBefore('bounced')).toEqual(['pending', 'sent', 'delivered']);
    expect(statesBefore('failed')).toEqual(['pending', 'sent']);
  });

  it('calls delivered, bounced and failed final, pending and sent not', () => {
    expect(DELIVERY_STATES.filter(isFinal)).toEqual(['delivered', 'bounced', 'failed']);
  });
});

describe('deliveryIdOf', () => {
  const source = 'c-1:7';

  it('is d + 26 lowercase base32 characters (27 in all)', () => {
    for (const channel of CHANNELS) {
      const id = deliveryIdOf(source, 'p-1', channel);
      expect(id).toMatch(/^d[a-z2-7]{26}$/);
      expect(id).toHaveLength(27);
    }
  });

  it('is the same for the same (source, participant, channel): a redelivered event finds its delivery', () => {
    expect(deliveryIdOf(source, 'p-1', 'email')).toBe(deliveryIdOf(source, 'p-1', 'email'));
  });

  it('is the first 130 bits of SHA-256(source NUL participant NUL channel) in RFC 4648 base32', () => {
    const digest = BigInt(`0x${createHash('sha256').update('c-1:7\u0000p-1\u0000sms').digest('hex')}`);
    const first130 = digest >> BigInt(256 - 130);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    const expected = Array.from({ length: 26 }, (_, i) => alphabet[Number((first130 >> BigInt(5 * (25 - i))) & 31n)]).join('');
    expect(deliveryIdOf('c-1:7', 'p-1', 'sms')).toBe(`d${expected}`);
  });

  it('differs per channel, participant and source', () => {
    const ids = [
      deliveryIdOf(source, 'p-1', 'email'),
      deliveryIdOf(source, 'p-1', 'sms'),
      deliveryIdOf(source, 'p-1', 'push'),
      deliveryIdOf(source, 'p-1', 'in_app'),
      deliveryIdOf(source, 'p-2', 'email'),
      deliveryIdOf('c-1:8', 'p-1', 'email'),
      deliveryIdOf('c-2:7', 'p-1', 'email'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps the parts apart: moving characters between source and participant changes the id', () => {
    expect(deliveryIdOf('c-1:7', 'p-1', 'email')).not.toBe(deliveryIdOf('c-1:7p', '-1', 'email'));
    expect(deliveryIdOf('c-1:7', 'p-1', 'email')).not.toBe(deliveryIdOf('c-1:', '7p-1', 'email'));
  });
});
