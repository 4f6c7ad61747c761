import { capLength, normalizeLineBreaks, normalizeSpaces, stripControlCharacters, tidyWhitespace, truncationMarker } from './chat-text.sanitizer';

describe('normalizeLineBreaks', () => {
  it('turns CRLF, lone CR and Unicode separators into \\n', () => {
    expect(normalizeLineBreaks('a\r\nb\rc\u2028d\u2029e')).toBe('a\nb\nc\nd\ne');
  });
});

describe('stripControlCharacters', () => {
  it('removes NUL', () => {
    expect(stripControlCharacters('a\u0000b')).toBe('ab');
  });

  it('keeps \\n and \\t', () => {
    expect(stripControlCharacters('a\n\tb')).toBe('a\n\tb');
  });

  it('removes other C0 and C1 controls and DEL', () => {
    expect(stripControlCharacters('a\u0007\u000b\u000c\u001f\u007f\u0085\u009fb')).toBe('ab');
  });

  it('removes whole terminal escape sequences', () => {
    expect(stripControlCharacters('\u001b[1;31mred\u001b[0m')).toBe('red');
  });

  it('removes the zero-width no-break space iOS puts into quotes', () => {
    expect(stripControlCharacters('\ufeffHi')).toBe('Hi');
  });

  it('keeps emoji and joiners', () => {
    expect(stripControlCharacters('👩‍💻 ok')).toBe('👩‍💻 ok');
  });
});

describe('normalizeSpaces', () => {
  it('turns no-break spaces into spaces', () => {
    expect(normalizeSpaces('10\u00a0h\u202f?\u2007x')).toBe('10 h ? x');
  });
});

describe('tidyWhitespace', () => {
  it('removes trailing whitespace on each line', () => {
    expect(tidyWhitespace('a  \t\nb ')).toBe('a\nb');
  });

  it('reduces runs of blank lines to one', () => {
    expect(tidyWhitespace('a\n\n\n\n\nb')).toBe('a\n\nb');
  });

  it('removes blank lines at both ends', () => {
    expect(tidyWhitespace('\n\n  \na\n\n')).toBe('a');
  });

  it('keeps indentation', () => {
    expect(tidyWhitespace('Steps:\n  1. open\n  2. close')).toBe('Steps:\n  1. open\n  2. close');
  });
});

describe('capLength', () => {
  it('leaves a short text alone', () => {
    expect(capLength('hello', 10)).toEqual({ text: 'hello', truncated: false });
  });

  it('keeps the result within the limit, marker included', () => {
    const { text, truncated } = capLength('word '.repeat(10_000), 1000);
    expect([text.length <= 1000, truncated]).toEqual([true, true]);
  });

  it('says how many characters were left out', () => {
    const original = 'x'.repeat(5000);
    const { text } = capLength(original, 1000);
    const kept = text.indexOf('\n\n[');
    expect(text.slice(kept)).toBe(truncationMarker(original.length - kept));
  });

  it('writes the marker readably', () => {
    expect(truncationMarker(12345)).toBe('\n\n[… message truncated, 12,345 characters omitted]');
  });

  it('prefers to cut at a word break near the limit', () => {
    const { text } = capLength(`${'a'.repeat(940)} ${'b'.repeat(200)}`, 1000);
    expect(text.startsWith(`${'a'.repeat(940)}\n\n[…`)).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    const { text } = capLength('😀'.repeat(1000), 100);
    expect(text.slice(0, text.indexOf('\n\n['))).toMatch(/^(?:😀)+$/u);
  });
});
