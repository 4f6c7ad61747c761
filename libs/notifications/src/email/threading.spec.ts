import { encodeIdPart, notificationMessageId, threadingHeaders, threadRootId } from './threading';

// RFC 5322 msg-id: "<" dot-atom-text "@" dot-atom-text ">", restricted here to what every client accepts.
const MSG_ID = /^<[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*@[a-z0-9-]+(?:\.[a-z0-9-]+)*>$/;

describe('threading', () => {
  it('replies every notification for a conversation and recipient to one virtual root', () => {
    const first = threadingHeaders('relay.example.com', 'c1', 'p1', 'd1');
    const second = threadingHeaders('relay.example.com', 'c1', 'p1', 'd2');

    expect(first).toEqual({
      messageId: '<n.d1@relay.example.com>',
      inReplyTo: '<conversation.c1.p1@relay.example.com>',
      references: ['<conversation.c1.p1@relay.example.com>'],
    });
    expect(second.inReplyTo).toBe(first.inReplyTo);
    expect(second.messageId).not.toBe(first.messageId);
  });

  it('gives each recipient of a conversation their own thread', () => {
    expect(threadRootId('relay.example.com', 'c1', 'p1')).not.toBe(threadRootId('relay.example.com', 'c1', 'p2'));
  });

  it('gives a resent delivery the same Message-ID', () => {
    expect(notificationMessageId('relay.example.com', 'dlv_01h-x')).toBe(notificationMessageId('relay.example.com', 'dlv_01h-x'));
  });

  it('does not depend on how the domain is spelled', () => {
    expect(notificationMessageId('Relay.Example.COM.', 'd1')).toBe('<n.d1@relay.example.com>');
  });

  it.each(['urn:conv:42', 'a.b', 'Jane Doe <jane@x>', 'ü/ß\r\n', '..', '"quoted"', '-'])('keeps the msg-id valid for the id %j', (id) => {
    const headers = threadingHeaders('relay.example.com', id, id, id);
    expect(headers.messageId).toMatch(MSG_ID);
    expect(headers.inReplyTo).toMatch(MSG_ID);
  });

  it('encodes an unsafe id the same way every time, and differently from a similar id', () => {
    expect(encodeIdPart('urn:conv:42')).toBe(encodeIdPart('urn:conv:42'));
    expect(encodeIdPart('urn:conv:42')).toMatch(/^urn-conv-42-[0-9a-f]{12}$/);
    expect(encodeIdPart('urn:conv:42')).not.toBe(encodeIdPart('urn/conv/42'));
  });

  it('keeps parts unambiguous when ids hold dots', () => {
    expect(threadRootId('d.example', 'a.b', 'c')).not.toBe(threadRootId('d.example', 'a', 'b.c'));
  });

  it('refuses an empty id and a domain that cannot be part of a msg-id', () => {
    expect(() => notificationMessageId('relay.example.com', '')).toThrow(/non-empty/);
    expect(() => notificationMessageId('relay example.com', 'd1')).toThrow(/not a domain name/);
    expect(() => notificationMessageId('relay.example.com>\r\nBcc: x', 'd1')).toThrow(/not a domain name/);
  });
});
