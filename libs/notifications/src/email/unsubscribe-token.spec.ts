import { createHmac } from 'node:crypto';
import { signUnsubscribeToken, verifyUnsubscribeToken } from './unsubscribe-token';

const secret = 'unsubscribe-secret';
const payload = { conversationId: 'conv-1', participantId: 'urn:participant:ü/42', channel: 'email' as const };

describe('unsubscribe tokens', () => {
  it('round-trips the payload', () => {
    expect(verifyUnsubscribeToken(signUnsubscribeToken(payload, secret), secret)).toEqual(payload);
  });

  it('is URL-safe and versioned', () => {
    const token = signUnsubscribeToken(payload, secret);
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(encodeURIComponent(token)).toBe(token);
  });

  it('is deterministic, so a resent notification carries the same link', () => {
    expect(signUnsubscribeToken(payload, secret)).toBe(signUnsubscribeToken(payload, secret));
  });

  it('refuses a token signed with another secret', () => {
    expect(verifyUnsubscribeToken(signUnsubscribeToken(payload, 'other'), secret)).toBeNull();
  });

  it('refuses a payload swapped for another participant', () => {
    const [version, , signature] = signUnsubscribeToken(payload, secret).split('.');
    const otherBody = signUnsubscribeToken({ ...payload, participantId: 'victim' }, secret).split('.')[1];
    expect(verifyUnsubscribeToken(`${version}.${otherBody}.${signature}`, secret)).toBeNull();
  });

  it('refuses a truncated or altered signature', () => {
    const token = signUnsubscribeToken(payload, secret);
    expect(verifyUnsubscribeToken(token.slice(0, -2), secret)).toBeNull();
    const [version, body, signature] = token.split('.');
    const altered = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect(verifyUnsubscribeToken(`${version}.${body}.${altered}`, secret)).toBeNull();
  });

  it('refuses another version, even when correctly signed', () => {
    const body = signUnsubscribeToken(payload, secret).split('.')[1];
    const signature = createHmac('sha256', secret).update(`conversation-alias/unsubscribe\0v2.${body}`).digest('base64url');
    expect(verifyUnsubscribeToken(`v2.${body}.${signature}`, secret)).toBeNull();
  });

  it('refuses a correctly signed body that is not a valid payload', () => {
    const body = Buffer.from(JSON.stringify({ c: 'conv-1', p: 'p1', ch: 'sms' })).toString('base64url');
    const signature = createHmac('sha256', secret).update(`conversation-alias/unsubscribe\0v1.${body}`).digest('base64url');
    expect(verifyUnsubscribeToken(`v1.${body}.${signature}`, secret)).toBeNull();
  });

  it.each([null, undefined, '', 'v1', 'v1..', 'v1.a.b.c', 'garbage', 'x'.repeat(5000)])('refuses %j', (token) => {
    expect(verifyUnsubscribeToken(token, secret)).toBeNull();
  });

  it('refuses to sign an incomplete payload', () => {
    expect(() => signUnsubscribeToken({ ...payload, participantId: '' }, secret)).toThrow(/ids/);
    expect(() => signUnsubscribeToken(payload, '')).toThrow(/secret/);
  });
});
