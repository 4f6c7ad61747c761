export interface MediaType {
  /** type/subtype, lower-cased. */
  essence: string;
  /** Parameter names lower-cased; values unquoted. */
  params: Map<string, string>;
}

/** Parses a Content-Type header value (RFC 9110 §8.3.1); null when there is none or it is garbage. */
export function parseMediaType(header: string | undefined): MediaType | null {
  if (!header) return null;
  const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(;.*)?$/s.exec(header);
  if (!match) return null;
  return { essence: match[1].toLowerCase(), params: parseParameters(match[2] ?? '') };
}

/** `; name=value; name="quoted \"value\""` → a map; used for Content-Type and Content-Disposition. */
export function parseParameters(text: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /;\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/gs;
  for (const [, name, raw] of text.matchAll(pattern)) {
    const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/gs, '$1') : raw.trim();
    if (!params.has(name.toLowerCase())) params.set(name.toLowerCase(), value);
  }
  return params;
}
