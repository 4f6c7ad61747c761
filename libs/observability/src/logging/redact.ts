/**
 * Logs must not leak the people using the system: email addresses are masked wherever they
 * appear in a string, and message content is dropped by key.
 */
const EMAIL_PATTERN = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-])[A-Za-z0-9.-]*\.([A-Za-z]{2,})/g;

export function maskEmails(text: string): string {
  return text.replace(EMAIL_PATTERN, (_match, first: string, domainFirst: string, tld: string) => `${first}***@${domainFirst}***.${tld}`);
}

/** Keys whose values are message content or credentials: never logged. */
export const REDACTED_KEYS = ['body', 'text', 'html', 'textAsHtml', 'raw', 'content', 'password', 'authorization', 'cookie', 'token', 'signature'];

const REDACTED = '[redacted]';

export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[truncated]';
  if (typeof value === 'string') return maskEmails(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value instanceof Error) return { type: value.name, message: maskEmails(value.message), stack: value.stack && maskEmails(value.stack) };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = REDACTED_KEYS.includes(key.toLowerCase()) ? REDACTED : redactValue(inner, depth + 1);
    }
    return out;
  }
  return value;
}
