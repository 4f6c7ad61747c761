const MAX_LENGTH = 180;
const MAX_EXTENSION = 16;
/** C0/C1 controls, and the bidi overrides that make "invoice‮fdp.exe" display as "invoiceexe.pdf". */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
/** Characters no common file system or shell takes literally. */
const RESERVED = /[<>:"|?*]/g;
/** Device names Windows refuses whatever the extension. */
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com\d|lpt\d)(?:\.|$)/i;

/**
 * A file name that is safe to store, serve and download anywhere: the last path segment only
 * (no `../`), no control or direction-changing characters, no leading dot (hidden files) nor
 * trailing dot, at most 180 characters with the extension kept. `attachment-N` (1-based) when
 * nothing usable is left.
 */
export function sanitizeAttachmentFilename(filename: string | undefined, index: number): string {
  const fallback = `attachment-${index}`;
  if (!filename) return fallback;
  const basename = filename.split(/[/\\]/).filter((segment) => segment.trim() !== '').pop() ?? '';
  let name = basename
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(RESERVED, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (name === '' || /^_+$/.test(name)) return fallback;
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`;
  return truncateKeepingExtension(name);
}

function truncateKeepingExtension(name: string): string {
  const characters = Array.from(name);
  if (characters.length <= MAX_LENGTH) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= MAX_EXTENSION ? name.slice(dot) : '';
  const stem = Array.from(extension ? name.slice(0, dot) : name);
  return stem.slice(0, MAX_LENGTH - Array.from(extension).length).join('').trimEnd() + extension;
}
