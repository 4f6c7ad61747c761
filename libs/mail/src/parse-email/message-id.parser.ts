const BRACKETED = /<([^<>\s]+)>/g;

/**
 * Every message-id in a Message-ID, In-Reply-To or References value, each as `<id>`, in order and
 * without repeats. Tolerates what mailers get wrong: comments and phrases around the ids
 * ("Jane's message of … <id@host>"), folding, commas, and bare ids without brackets.
 */
export function parseMessageIds(value: string | undefined): string[] {
  if (!value) return [];
  let ids = [...value.matchAll(BRACKETED)].map((match) => match[1]);
  if (ids.length === 0) ids = value.split(/[\s,]+/).filter((token) => token.includes('@') && !/[()"]/.test(token));
  return [...new Set(ids.map((id) => `<${id}>`))];
}

export function normalizeMessageId(value: string | undefined): string | undefined {
  return parseMessageIds(value)[0];
}
