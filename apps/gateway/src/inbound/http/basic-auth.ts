import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether an Authorization header carries HTTP basic credentials with this password. The user
 * name is not checked: there is one credential, the password, and MTAs name the user as they
 * like. Both sides are hashed first, so the comparison is constant-time whatever their lengths.
 */
export function hasBasicPassword(header: string | undefined, password: string): boolean {
  const match = header ? /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i.exec(header) : null;
  if (!match) return false;
  const credentials = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = credentials.indexOf(':');
  if (colon === -1) return false;
  return timingSafeEqual(digest(credentials.slice(colon + 1)), digest(password));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
