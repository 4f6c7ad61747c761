import { DomainError, ErrorCategory } from '@libs/contracts';
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

interface Attempt {
  status: number;
  body: unknown;
}

class RetryableFailure extends Error {}

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
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: HttpIdentityDirectoryOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.retries = options.retries ?? 3;
    this.initialBackoffMs = options.initialBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 2_000;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
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

  private async request(method: 'GET' | 'PUT', path: string, payload?: unknown): Promise<Attempt> {
    let lastFailure: unknown;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) await this.sleep(this.backoff(attempt, lastFailure));
      try {
        return await this.attempt(method, path, payload);
      } catch (error) {
        if (!(error instanceof RetryableFailure)) throw error;
        lastFailure = error;
      }
    }
    throw IdentityErrors.unavailable(lastFailure);
  }

  private async attempt(method: string, path: string, payload: unknown): Promise<Attempt> {
    let response: Response;
    try {
      response = await this.fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
        },
        body: payload === undefined ? undefined : JSON.stringify(payload),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      // Connection refused or reset, DNS failure, or our own timeout: all worth another try.
      throw new RetryableFailure(`${method} ${path}: ${(error as Error).message ?? String(error)}`, { cause: error });
    }
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel().catch(() => undefined);
      throw Object.assign(new RetryableFailure(`${method} ${path}: HTTP ${response.status}`), {
        retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
      });
    }
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: response.status, body };
  }

  private backoff(attempt: number, failure: unknown): number {
    const exponential = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (attempt - 1));
    const requested = (failure as { retryAfterMs?: number } | undefined)?.retryAfterMs;
    return requested === undefined ? exponential : Math.min(this.maxBackoffMs, Math.max(exponential, requested));
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

function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function errorOf(body: unknown): { code?: string; message?: string } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(error.code) ? error.code : undefined;
  // The service's message reaches our caller: keep it short and single-line.
  const message =
    typeof error?.message === 'string' && error.message.trim()
      ? error.message.replace(/[\p{Cc}]+/gu, ' ').trim().slice(0, MAX_ERROR_MESSAGE_LENGTH)
      : undefined;
  return { code, message };
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
