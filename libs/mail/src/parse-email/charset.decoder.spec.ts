import * as iconv from 'iconv-lite';
import { decodeBytes, resolveCharset } from './charset.decoder';

const latin1 = (text: string) => Buffer.from(text, 'latin1');
const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('resolveCharset', () => {
  it('trusts a specific, known declaration', () => {
    expect(resolveCharset('Shift_JIS', iconv.encode('日本', 'shift_jis'))).toBe('shift_jis');
  });

  it('keeps ISO-2022-JP, which iconv-lite cannot decode but encoding-japanese can', () => {
    expect(resolveCharset('ISO-2022-JP', Buffer.from('\x1b$B$3\x1b(B', 'latin1'))).toBe('iso-2022-jp');
  });

  it('accepts a quoted label in any case', () => {
    expect(resolveCharset('"KOI8-R"', Buffer.from([0xc1]))).toBe('koi8-r');
  });

  it.each([
    ['declared UTF-8', 'utf-8'],
    ['an unknown name', 'utf8x'],
    ['unknown-8bit', 'unknown-8bit'],
    ['no declaration', undefined],
  ])('reads valid UTF-8 as UTF-8 with %s', (_, declared) => {
    expect(resolveCharset(declared, utf8('Café'))).toBe('utf-8');
  });

  it.each([
    ['declared UTF-8', 'utf-8'],
    ['an unknown name', 'utf8x'],
    ['unknown-8bit', 'unknown-8bit'],
    ['no declaration', undefined],
    ['US-ASCII', 'us-ascii'],
    ['ISO-8859-1', 'iso-8859-1'],
  ])('falls back to windows-1252 for 8-bit bytes that are not UTF-8 with %s', (_, declared) => {
    expect(resolveCharset(declared, latin1('Caf\xe9'))).toBe('windows-1252');
  });

  it('reads UTF-8 bytes labelled ISO-8859-1 as UTF-8 instead of producing mojibake', () => {
    expect(resolveCharset('iso-8859-1', utf8('Café'))).toBe('utf-8');
  });
});

describe('decodeBytes', () => {
  it('decodes windows-1252 punctuation in ISO-8859-1-labelled text as browsers do', () => {
    expect(decodeBytes(latin1('\x93quoted\x94 \x80 5'), 'iso-8859-1')).toBe('“quoted” € 5');
  });

  it('never yields U+FFFD for a broken UTF-8 declaration', () => {
    expect(decodeBytes(latin1('na\xefve'), 'utf-8')).toBe('naïve');
  });

  it('decodes ISO-2022-JP', () => {
    const jis = Buffer.from([0x1b, 0x24, 0x42, 0x46, 0x7c, 0x4b, 0x5c, 0x1b, 0x28, 0x42]);
    expect(decodeBytes(jis, 'iso-2022-jp')).toBe('日本');
  });

  it('decodes the declared legacy charset', () => {
    expect(decodeBytes(iconv.encode('Zażółć', 'iso-8859-2'), 'ISO-8859-2')).toBe('Zażółć');
  });
});
