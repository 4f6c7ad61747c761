import { sanitizeAttachmentFilename } from './attachment-filename.sanitizer';

describe('sanitizeAttachmentFilename', () => {
  it('keeps an ordinary name, including non-ASCII letters', () => {
    expect(sanitizeAttachmentFilename('Offer letter – Jane Doe.pdf', 1)).toBe('Offer letter – Jane Doe.pdf');
  });

  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\jane\\cv.pdf', 'cv.pdf'],
    ['/tmp/', 'tmp'],
  ])('keeps only the last path segment of %j', (name, safe) => {
    expect(sanitizeAttachmentFilename(name, 1)).toBe(safe);
  });

  it('removes the right-to-left override that disguises an executable', () => {
    expect(sanitizeAttachmentFilename('invoice\u202efdp.exe', 1)).toBe('invoicefdp.exe');
  });

  it('removes control characters', () => {
    expect(sanitizeAttachmentFilename('cv\u0000\r\n.pdf', 1)).toBe('cv.pdf');
  });

  it('replaces characters file systems reserve', () => {
    expect(sanitizeAttachmentFilename('a<b>:"c"|d?*.txt', 1)).toBe('a_b___c__d__.txt');
  });

  it('drops leading dots (hidden files) and trailing dots and spaces', () => {
    expect(sanitizeAttachmentFilename('  ..bashrc. ', 1)).toBe('bashrc');
  });

  it('prefixes Windows device names', () => {
    expect(sanitizeAttachmentFilename('CON.txt', 1)).toBe('_CON.txt');
  });

  it('shortens a long name to 180 characters keeping the extension', () => {
    const safe = sanitizeAttachmentFilename(`${'a'.repeat(300)}.pdf`, 1);
    expect([safe.length, safe.endsWith('.pdf')]).toEqual([180, true]);
  });

  it.each([undefined, '', '...', '///', '\u0000'])('falls back to attachment-N for %j', (name) => {
    expect(sanitizeAttachmentFilename(name, 3)).toBe('attachment-3');
  });
});
