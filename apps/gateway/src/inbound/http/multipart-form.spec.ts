import { parseMediaType } from './media-type';
import { parseMultipartForm } from './multipart-form';

const boundary = '----form-boundary-123';

function form(parts: { name?: string; filename?: string; data: Buffer | string; headers?: string[] }[], preamble = ''): Buffer {
  const chunks: Buffer[] = [Buffer.from(preamble)];
  for (const part of parts) {
    const disposition = part.name === undefined ? [] : [`Content-Disposition: form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}`];
    chunks.push(Buffer.from(`--${boundary}\r\n${[...disposition, ...(part.headers ?? [])].join('\r\n')}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('parseMultipartForm', () => {
  it('reads fields as text and keeps a part’s exact bytes, whatever they are', () => {
    const latin1 = Buffer.from([0x46, 0x72, 0x6f, 0x6d, 0x3a, 0x20, 0xe9, 0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0xff]);
    const parsed = parseMultipartForm(
      form([
        { name: 'recipient', data: 'a@relay.example.com, b@relay.example.com' },
        { name: 'body-mime', data: latin1 },
        { name: 'recipient', data: 'c@relay.example.com' },
        { name: 'empty', data: '' },
        { name: 'file', filename: 'mail.eml', data: 'From: x', headers: ['Content-Type: message/rfc822'] },
      ]),
      boundary,
    );
    expect(parsed.text('recipient')).toBe('a@relay.example.com, b@relay.example.com');
    expect(parsed.texts('recipient')).toEqual(['a@relay.example.com, b@relay.example.com', 'c@relay.example.com']);
    expect(parsed.bytes('body-mime')?.equals(latin1)).toBe(true);
    expect(parsed.text('empty')).toBe('');
    expect(parsed.parts.find((p) => p.name === 'file')).toMatchObject({ filename: 'mail.eml' });
    expect(parsed.text('missing')).toBeUndefined();
  });

  it('keeps CRLF and boundary-like text inside a part', () => {
    // A delimiter is CRLF + "--" + boundary; the same text without the CRLF is content.
    const data = `line\r\n\r\nx--${boundary}\r\nmore`;
    expect(parseMultipartForm(form([{ name: 'a', data }]), boundary).text('a')).toBe(data);
  });

  it('skips a preamble and parts without a name', () => {
    const parsed = parseMultipartForm(form([{ data: 'anonymous' }, { name: 'token', data: 't' }], 'preamble text\r\n'), boundary);
    expect(parsed.parts.map((p) => p.name)).toEqual(['token']);
  });

  it.each([
    ['no boundary at all', Buffer.from('just text')],
    ['a truncated body', form([{ name: 'a', data: 'x' }]).subarray(0, 60)],
    ['junk after a boundary', Buffer.from(`--${boundary}junk\r\n\r\nx\r\n--${boundary}--`)],
  ])('refuses %s as malformed', (_name, body) => {
    expect(codeOf(() => parseMultipartForm(body, boundary))).toBe('INBOUND_MALFORMED_REQUEST');
  });

  it('refuses too many parts and oversized part headers', () => {
    const many = form(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, data: 'x' })));
    expect(codeOf(() => parseMultipartForm(many, boundary, { maxParts: 4, maxPartHeaderBytes: 1024 }))).toBe('INBOUND_MALFORMED_REQUEST');
    const bigHeader = form([{ name: 'a', data: 'x', headers: [`X-Pad: ${'p'.repeat(2000)}`] }]);
    expect(codeOf(() => parseMultipartForm(bigHeader, boundary, { maxParts: 4, maxPartHeaderBytes: 1024 }))).toBe('INBOUND_MALFORMED_REQUEST');
  });

  it('refuses an invalid boundary', () => {
    expect(codeOf(() => parseMultipartForm(Buffer.from(''), 'x'.repeat(71)))).toBe('INBOUND_MALFORMED_REQUEST');
    expect(codeOf(() => parseMultipartForm(Buffer.from(''), 'semi;colon'))).toBe('INBOUND_MALFORMED_REQUEST');
  });
});

describe('parseMediaType', () => {
  it('reads the essence and parameters, quoted or not', () => {
    const type = parseMediaType('Multipart/Form-Data; charset=utf-8; boundary="a b\\"c"');
    expect(type?.essence).toBe('multipart/form-data');
    expect(type?.params.get('boundary')).toBe('a b"c');
    expect(parseMediaType('message/rfc822')?.essence).toBe('message/rfc822');
    expect(parseMediaType('multipart/form-data; boundary=abc')?.params.get('boundary')).toBe('abc');
  });

  it.each([undefined, '', 'text', '/x', 'a/b c'])('gives null for %j', (header) => {
    expect(parseMediaType(header)).toBeNull();
  });
});
