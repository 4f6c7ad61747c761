import { InvalidConversationInputError } from '../domain/conversation.errors';

/** Opaque pagination cursors: base64url JSON, validated on the way back in. */
export function encodeCursor(value: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T extends Record<string, string | number>>(cursor: string, shape: Record<keyof T, 'string' | 'number'>): T {
  try {
    if (cursor.length > 512) throw new Error('too long');
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    for (const [key, type] of Object.entries(shape)) if (typeof value[key] !== type) throw new Error(`bad ${key}`);
    return value as T;
  } catch {
    throw new InvalidConversationInputError('Invalid pagination cursor');
  }
}

export const MAX_PAGE_SIZE = 100;

export function pageSize(first: number | null | undefined, fallback = 20): number {
  if (first === undefined || first === null) return fallback;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new InvalidConversationInputError(`first must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return first;
}
