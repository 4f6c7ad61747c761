import { headersOf, parseHeaderFields } from './email-headers.parser';

const field = (line: string) => parseHeaderFields([{ key: line.slice(0, line.indexOf(':')).toLowerCase(), line }])[0];

describe('parseHeaderFields', () => {
  it('unfolds continuation lines', () => {
    expect(field('References: <a@x>\r\n  <b@x>').raw).toBe('<a@x>  <b@x>');
  });

  it('decodes encoded words in the value but not in the raw form', () => {
    const subject = field('Subject: =?utf-8?Q?Caf=C3=A9?=');
    expect([subject.raw, subject.value]).toEqual(['=?utf-8?Q?Caf=C3=A9?=', 'Café']);
  });

  it('reads raw 8-bit UTF-8 header bytes (given as a latin1 string) as UTF-8', () => {
    expect(field(`Subject: ${Buffer.from('Café ✓', 'utf8').toString('latin1')}`).value).toBe('Café ✓');
  });

  it('reads raw 8-bit header bytes that are not UTF-8 as windows-1252', () => {
    expect(field('Subject: Caf\xe9').value).toBe('Café');
  });

  it('lower-cases the header name', () => {
    expect(parseHeaderFields([{ key: 'X-Spam-Flag', line: 'X-Spam-Flag: YES' }])[0].name).toBe('x-spam-flag');
  });
});

describe('headersOf', () => {
  const headers = headersOf(parseHeaderFields([
    { key: 'received', line: 'Received: from a' },
    { key: 'x-custom', line: 'X-Custom: one' },
    { key: 'received', line: 'Received: from b' },
  ]));

  it('answers case-insensitively', () => {
    expect(headers.get('X-CUSTOM')).toBe('one');
  });

  it('keeps every value of a repeated header, in order', () => {
    expect(headers.getAll('received')).toEqual(['from a', 'from b']);
  });

  it('gives the first value with get', () => {
    expect(headers.get('received')).toBe('from a');
  });

  it('answers an absent header with undefined, [] and false', () => {
    expect([headers.get('x-none'), headers.getAll('x-none'), headers.has('x-none')]).toEqual([undefined, [], false]);
  });

  it('lists each name once', () => {
    expect(headers.names()).toEqual(['received', 'x-custom']);
  });
});
