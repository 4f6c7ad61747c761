import { inspectHeaderSection } from './email-structure';
import { InboundEmailErrorCode } from './inbound-email.errors';

const limits = { maxHeaderLineBytes: 1024 };
const crlf = (...lines: string[]) => Buffer.from(lines.join('\r\n'));

function codeOf(raw: Buffer): string | undefined {
  try {
    inspectHeaderSection(raw, limits);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('inspectHeaderSection', () => {
  it('accepts a plain email and reads the requested fields, unfolded, top first', () => {
    const raw = crlf(
      'X-Original-To: alias-1@relay.example.com',
      'Delivered-To: first@relay.example.com',
      'Delivered-To: second@example.org',
      'From: Jane <jane@example.com>',
      'To: a@relay.example.com,',
      '  b@relay.example.com',
      '',
      'Hello',
    );
    const section = inspectHeaderSection(raw, limits, ['X-Original-To', 'delivered-to', 'to']);
    expect(section.fieldCount).toBe(5);
    expect(section.values.get('x-original-to')).toEqual(['alias-1@relay.example.com']);
    expect(section.values.get('delivered-to')).toEqual(['first@relay.example.com', 'second@example.org']);
    expect(section.values.get('to')).toEqual(['a@relay.example.com,  b@relay.example.com']);
  });

  it.each([
    ['only a Date', crlf('Date: Wed, 04 Mar 2026 09:00:00 +0000', '', 'x')],
    ['only a Message-ID', crlf('Message-ID: <a@b>', '', 'x')],
    ['LF line ends', Buffer.from('From: a@example.com\nSubject: hi\n\nbody\n')],
    ['no body at all', crlf('From: a@example.com', 'Subject: hi')],
    ['a truncated multipart body', crlf('From: a@example.com', 'Content-Type: multipart/mixed; boundary=x', '', '--x', 'Content-Type: text/plain', '', 'cut off he')],
    ['whitespace before the colon', crlf('From : a@example.com', '', 'x')],
    ['NUL bytes in the body', Buffer.concat([crlf('From: a@example.com', '', 'binary: '), Buffer.from([0, 1, 0, 2])])],
    ['8-bit header values', Buffer.concat([Buffer.from('From: '), Buffer.from([0xe9, 0xe8]), Buffer.from(' <a@example.com>\r\n\r\nx')])],
    ['an unknown charset', crlf('From: a@example.com', 'Content-Type: text/plain; charset=x-klingon-42', '', 'qapla')],
    ['a long body line', crlf('From: a@example.com', '', 'x'.repeat(10_000))],
  ])('accepts %s', (_name, raw) => {
    expect(codeOf(raw)).toBeUndefined();
  });

  it.each([
    ['an empty body', Buffer.alloc(0)],
    ['plain text', Buffer.from('Hello, this is not an email at all.\r\n')],
    ['JSON', Buffer.from('{"from":"a@example.com"}')],
    ['a blank first line', crlf('', 'From: a@example.com')],
    ['headers without From, Date or Message-ID', crlf('Subject: hi', 'To: b@example.com', '', 'x')],
    ['a continuation line first', crlf(' From: a@example.com', '', 'x')],
    ['binary garbage', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46])],
  ])('refuses %s as not an email', (_name, raw) => {
    expect(codeOf(raw)).toBe(InboundEmailErrorCode.NotAnEmail);
  });

  it('stops at the first line that is neither a field nor a continuation', () => {
    const raw = crlf('Subject: hi', 'this line ends the header section', 'From: a@example.com');
    expect(codeOf(raw)).toBe(InboundEmailErrorCode.NotAnEmail);
  });

  it('refuses a header line over the limit, also a folded one', () => {
    expect(codeOf(crlf('From: a@example.com', `X-Long: ${'x'.repeat(1024)}`, '', 'x'))).toBe(InboundEmailErrorCode.HeaderLineTooLong);
    expect(codeOf(crlf('From: a@example.com', 'X-Long: a', ` ${'x'.repeat(1024)}`, '', 'x'))).toBe(InboundEmailErrorCode.HeaderLineTooLong);
    expect(codeOf(crlf('From: a@example.com', `X-Long: ${'x'.repeat(1000)}`, '', 'x'))).toBeUndefined();
  });

  it('refuses a header line over the limit in a message that never ends its header section', () => {
    expect(codeOf(Buffer.from(`From: a@example.com\r\nX-Long: ${'x'.repeat(5000)}`))).toBe(InboundEmailErrorCode.HeaderLineTooLong);
  });

  it('refuses NUL bytes in the header section', () => {
    const raw = Buffer.concat([Buffer.from('From: a@exa'), Buffer.from([0]), Buffer.from('mple.com\r\n\r\nx')]);
    expect(codeOf(raw)).toBe(InboundEmailErrorCode.NulInHeaders);
  });

  it('reads a 20 MB message quickly: the body is not scanned', () => {
    const raw = Buffer.concat([crlf('From: a@example.com', '', ''), Buffer.alloc(20 * 1024 * 1024, 0x61)]);
    const started = process.hrtime.bigint();
    inspectHeaderSection(raw, limits);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(50);
  });
});
