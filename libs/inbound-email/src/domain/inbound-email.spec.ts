import { inboundBlobKey, inboundEmailIdOf, isAlreadyQueued } from './inbound-email';
import { inboundEmailEventId } from './inbound-email-received.event';

describe('InboundEmail', () => {
  it('is identified by the SHA-256 of its raw bytes and stored under a dated, content-addressed key', () => {
    const id = inboundEmailIdOf(Buffer.from('From: a@example.com\r\n\r\nx'));
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(inboundBlobKey(id, new Date('2026-03-04T23:59:59Z'))).toBe(`inbound/2026/03/04/${id}.eml`);
  });

  it('is already queued for a delivery whose recipients were all queued before', () => {
    expect(isAlreadyQueued({ queuedRecipients: ['a@x', 'b@x'] }, ['b@x'])).toBe(true);
    expect(isAlreadyQueued({ queuedRecipients: ['a@x'] }, ['a@x', 'c@x'])).toBe(false);
    expect(isAlreadyQueued({ queuedRecipients: [] }, ['a@x'])).toBe(false);
  });

  it('derives event ids from the email and the delivery, whatever the recipients order', () => {
    expect(inboundEmailEventId('e1', ['a@x', 'b@x'])).toBe(inboundEmailEventId('e1', ['b@x', 'a@x']));
    expect(inboundEmailEventId('e1', ['a@x'])).not.toBe(inboundEmailEventId('e1', ['b@x']));
    expect(inboundEmailEventId('e1', ['a@x'])).not.toBe(inboundEmailEventId('e2', ['a@x']));
  });
});
