import { DomainError, ErrorCategory } from '@libs/contracts';
import { JsonAnswer, ResilientJsonClient, ServiceUnreachableError, remoteErrorOf } from '@libs/http-client';
import { Account, AccountProfile } from '../../domain/account';
import { normalizeEmail } from '../../domain/email-address';
import { IdentityDirectory } from '../../domain/identity-directory.port';
import { IdentityErrorCode, IdentityErrors } from '../../domain/identity-error';

export interface HttpIdentityDirectoryOptions {
  /** Base URL of the identity service, e.g. https://identity.internal/v1 */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
  /** Per attempt. */
  timeoutMs?: number;
  /** Attempts after the first one, for network errors, timeouts, 5xx and 429. */
  retries?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** For tests. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_ERROR_MESSAGE_LENGTH = 300;

/**
 * An external identity service speaking the contract in docs/identity-service.md.
 *
 * Every request is retried with exponential backoff on network errors, timeouts, 5xx and 429
 * (honouring Retry-After up to the backoff cap), then fails with IDENTITY_UNAVAILABLE; a 4xx is
 * an answer and is never retried. Retrying PUT is safe because an upsert keyed by email is
 * idempotent.
 */
export class HttpIdentityDirectory implements IdentityDirectory {
  private readonly client: ResilientJsonClient;

  constructor(options: HttpIdentityDirectoryOptions) {
    this.client = new ResilientJsonClient({
      baseUrl: options.baseUrl,
      headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
      timeoutMs: options.timeoutMs ?? 2_000,
      retries: options.retries,
      initialBackoffMs: options.initialBackoffMs,
      maxBackoffMs: options.maxBackoffMs,
      fetch: options.fetch,
      sleep: options.sleep,
    });
  }

  async findByEmail(email: string): Promise<Account | null> {
    const address = normalizeEmail(email);
    if (!address) return null;
    const { status, body } = await this.request('GET', `/accounts/by-email/${encodeURIComponent(address)}`);
    if (status === 404) return null;
    return this.accountFrom(status, body, [200]);
  }

  async findById(id: string): Promise<Account | null> {
    if (!id) return null;
    const { status, body } = await this.request('GET', `/accounts/${encodeURIComponent(id)}`);
    if (status === 404) return null;
    return this.accountFrom(status, body, [200]);
  }

  async upsert(profile: AccountProfile): Promise<Account> {
    const payload = {
      email: normalizeEmail(profile.email),
      displayName: profile.displayName,
      ...(profile.previousEmails === undefined ? {} : { previousEmails: profile.previousEmails.map(normalizeEmail) }),
    };
    const { status, body } = await this.request('PUT', '/accounts', payload);
    return this.accountFrom(status, body, [200, 201]);
  }

  private async request(method: 'GET' | 'PUT', path: string, payload?: unknown): Promise<JsonAnswer> {
    try {
      return await this.client.request(method, path, payload);
    } catch (error) {
      if (error instanceof ServiceUnreachableError) throw IdentityErrors.unavailable(error.cause ?? error);
      throw error;
    }
  }

  /** Maps a final (non-retried) answer to an Account or to the matching DomainError. */
  private accountFrom(status: number, body: unknown, ok: number[]): Account {
    if (ok.includes(status)) return parseAccount(body);
    const remote = errorOf(body);
    if (status === 400 || status === 422) {
      throw new DomainError(remote.code ?? IdentityErrorCode.InvalidEmail, ErrorCategory.Invalid, remote.message ?? 'The identity service refused the account.');
    }
    if (status === 409) {
      throw new DomainError(remote.code ?? IdentityErrorCode.EmailInUse, ErrorCategory.Conflict, remote.message ?? 'The account conflicts with another account.');
    }
    // 401/403/other 4xx: our credentials or our request are wrong — a deployment bug, not
    // something the caller can fix, so it stays an internal error (logged, not shown).
    throw new Error(`The identity service answered HTTP ${status}${remote.code ? ` (${remote.code})` : ''}`);
  }
}

function errorOf(body: unknown): { code?: string; message?: string } {
  // The service's message reaches our caller: short and single-line.
  return remoteErrorOf(body, MAX_ERROR_MESSAGE_LENGTH);
}

function parseAccount(body: unknown): Account {
  const value = body as Partial<Record<keyof Account, unknown>> | undefined;
  const valid =
    !!value &&
    typeof value.id === 'string' &&
    value.id.length > 0 &&
    typeof value.email === 'string' &&
    typeof value.displayName === 'string' &&
    (value.previousEmails === undefined || (Array.isArray(value.previousEmails) && value.previousEmails.every((e) => typeof e === 'string')));
  if (!valid) throw new Error('The identity service returned a malformed account');
  return {
    id: value.id as string,
    email: normalizeEmail(value.email as string),
    displayName: value.displayName as string,
    previousEmails: ((value.previousEmails as string[] | undefined) ?? []).map(normalizeEmail),
  };
}
