import { decodeEncodedWords } from './encoded-word.decoder';

describe('decodeEncodedWords', () => {
  it('decodes Q-encoded words, "_" as a space', () => {
    expect(decodeEncodedWords('=?utf-8?Q?Caf=C3=A9_cr=C3=A8me?=')).toBe('Café crème');
  });

  it('decodes B-encoded words', () => {
    expect(decodeEncodedWords('=?UTF-8?B?4oCT?=')).toBe('–');
  });

  it('keeps the plain text around encoded words', () => {
    expect(decodeEncodedWords('Re: Senior =?UTF-8?Q?=E2=80=93?= interview')).toBe('Re: Senior – interview');
  });

  it('drops the whitespace between two adjacent encoded words (RFC 2047 §6.2)', () => {
    expect(decodeEncodedWords('=?utf-8?q?Hello?= \r\n =?utf-8?q?_world?=')).toBe('Hello world');
  });

  it('joins the bytes of a character split across two words before decoding', () => {
    expect(decodeEncodedWords('=?utf-8?B?w6k=?= =?utf-8?B??= =?utf-8?Q?=E2=82?= =?utf-8?Q?=AC?=')).toBe('é€');
  });

  it('decodes words of different charsets each with its own', () => {
    expect(decodeEncodedWords('=?iso-8859-1?q?M=FCller?= =?utf-8?q?_=E2=9C=93?=')).toBe('Müller ✓');
  });

  it('reads an unknown charset with the fallbacks instead of U+FFFD', () => {
    expect(decodeEncodedWords('=?unknown-8bit?Q?Acc=E8s?=')).toBe('Accès');
  });

  it('ignores an RFC 2231 language suffix', () => {
    expect(decodeEncodedWords('=?UTF-8*en?Q?Hi?=')).toBe('Hi');
  });

  it('leaves text without encoded words as it is', () => {
    expect(decodeEncodedWords('Price: 5 =? 6')).toBe('Price: 5 =? 6');
  });
});
