import { createHmac } from 'node:crypto';
import { signStatusWebhook, verifyStatusWebhook } from './status-webhook-signature';

const secret = 'whsec_test_0123456789';
const body = Buffer.from('{"idempotencyKey":"dlv_1","status":"delivered","occurredAt":"2025-03-01T12:00:00Z"}');
const now = new Date('2025-03-01T12:00:10Z');
const t = Math.floor(now.getTime() / 1000);
const hmac = (key: string, payload: Buffer | string, at = t) => createHmac('sha256', key).update(`${at}.`).update(payload).digest('hex');

describe('signStatusWebhook', () => {
  it('is t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">', () => {
    expect(signStatusWebhook(body, secret, now)).toBe(`t=${t},v1=${hmac(secret, body)}`);
    expect(signStatusWebhook(body.toString(), secret, now.getTime())).toBe(signStatusWebhook(body, secret, now));
  });

  it('signs the raw bytes, not a decoded string', () => {
    const latin1 = Buffer.from([0x7b, 0xe9, 0x7d]); // "{é}" in Latin-1: not valid UTF-8
    expect(signStatusWebhook(latin1, secret, now)).toBe(`t=${t},v1=${hmac(secret, latin1)}`);
    expect(verifyStatusWebhook(latin1, signStatusWebhook(latin1, secret, now), secret, { now })).toEqual({ ok: true, timestamp: t });
  });
});

describe('verifyStatusWebhook', () => {
  const verify = (header: string | string[] | undefined, options: { secret?: string | string[]; now?: Date; payload?: Buffer | string; toleranceSeconds?: number } = {}) =>
    verifyStatusWebhook(options.payload ?? body, header, options.secret ?? secret, { now: options.now ?? now, toleranceSeconds: options.toleranceSeconds });

  it('accepts its own signature, from a Buffer or a string body', () => {
    const header = signStatusWebhook(body, secret, now);
    expect(verify(header)).toEqual({ ok: true, timestamp: t });
    expect(verify(header, { payload: body.toString('utf8') })).toEqual({ ok: true, timestamp: t });
  });

  it.each([
    ['no header', undefined],
    ['an empty header', '  '],
  ])('refuses %s as missing', (_name, header) => {
    expect(verify(header)).toEqual({ ok: false, reason: 'missing' });
  });

  it.each([
    ['no t', `v1=${hmac(secret, body)}`],
    ['no v1', `t=${t}`],
    ['only another scheme', `t=${t},v0=${hmac(secret, body)}`],
    ['a t that is not a number', `t=soon,v1=${hmac(secret, body)}`],
    ['a v1 that is not 64 hex digits', `t=${t},v1=abc`],
    ['two different t', `t=${t},t=${t - 1},v1=${hmac(secret, body)}`],
    ['a part without =', `t=${t},v1=${hmac(secret, body)},junk`],
    ['garbage', 'Bearer xyz'],
  ])('refuses %s as malformed', (_name, header) => {
    expect(verify(header)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a wrong secret, a changed body or a changed timestamp as mismatch', () => {
    expect(verify(signStatusWebhook(body, 'another-secret', now))).toEqual({ ok: false, reason: 'mismatch' });
    expect(verify(signStatusWebhook(body, secret, now), { payload: Buffer.from(body.toString().replace('delivered', 'bounced')) })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verify(`t=${t + 1},v1=${hmac(secret, body)}`)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a correct signature outside the tolerance, either way, as stale', () => {
    const header = signStatusWebhook(body, secret, now);
    expect(verify(header, { now: new Date(now.getTime() + 300_000) })).toEqual({ ok: true, timestamp: t });
    expect(verify(header, { now: new Date(now.getTime() + 301_000) })).toEqual({ ok: false, reason: 'stale' });
    expect(verify(header, { now: new Date(now.getTime() - 301_000) })).toEqual({ ok: false, reason: 'stale' });
    expect(verify(header, { now: new Date(now.getTime() + 20_000), toleranceSeconds: 10 })).toEqual({ ok: false, reason: 'stale' });
  });

  it('says mismatch, not stale, for an old forged signature', () => {
    expect(verify(signStatusWebhook(body, 'forger', new Date(now.getTime() - 3_600_000)))).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('accepts any matching v1 (the provider rotating its secret), in any position, upper-case hex, with spaces', () => {
    const header = `t=${t}, v1=${hmac('old-secret', body)}, v1=${hmac(secret, body).toUpperCase()}, v0=ignored`;
    expect(verify(header)).toEqual({ ok: true, timestamp: t });
  });

  it('accepts any of our secrets (our own rotation)', () => {
    expect(verify(signStatusWebhook(body, 'new-secret', now), { secret: [secret, 'new-secret'] })).toEqual({ ok: true, timestamp: t });
    expect(verify(signStatusWebhook(body, secret, now), { secret: ['', 'other'] })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('reads a header a proxy repeated', () => {
    const header = signStatusWebhook(body, secret, now);
    expect(verify([header, header])).toEqual({ ok: true, timestamp: t });
  });
});
