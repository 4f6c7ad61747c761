export interface ResilientJsonClientOptions {
  /** Base URL of the service, e.g. https://identity.internal/v1 */
  baseUrl: string;
  /** Sent with every request (e.g. authorization). */
  headers?: Record<string, string>;
  /** Per attempt. */
  timeoutMs: number;
  /** Attempts after the first one, for network errors, timeouts, 5xx and 429. */
  retries?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** For tests. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** A final answer: any status the service chose to give (2xx, 4xx), with its JSON body if any. */
export interface JsonAnswer {
  status: number;
  body: unknown;
}

/** Every attempt failed in a way worth retrying: the service is unreachable for now. */
export class ServiceUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServiceUnreachableError';
  }
}

class RetryableFailure extends Error {
  retryAfterMs?: number;
}

/**
 * JSON over HTTP to another service, for the adapters of our ports (identity service, legacy
 * system). Each attempt has its own timeout; network errors, timeouts, 5xx and 429 are retried
 * with exponential backoff (honouring Retry-After up to the cap), then ServiceUnreachableError;
 * any other status is an answer for the adapter to interpret, never retried.
 */
export class ResilientJsonClient {
  private readonly baseUrl: string;
  private readonly retries: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ResilientJsonClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.retries = options.retries ?? 3;
    this.initialBackoffMs = options.initialBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 2_000;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async request(method: string, path: string, payload?: unknown, headers: Record<string, string> = {}): Promise<JsonAnswer> {
    let lastFailure: RetryableFailure | undefined;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) await this.sleep(this.backoff(attempt, lastFailure));
      try {
        return await this.attempt(method, path, payload, headers);
      } catch (error) {
        if (!(error instanceof RetryableFailure)) throw error;
        lastFailure = error;
      }
    }
    throw new ServiceUnreachableError(lastFailure?.message ?? `${method} ${path} failed`, { cause: lastFailure });
  }

  private async attempt(method: string, path: string, payload: unknown, headers: Record<string, string>): Promise<JsonAnswer> {
    let response: Response;
    try {
      response = await this.fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...this.options.headers,
          ...headers,
        },
        body: payload === undefined ? undefined : JSON.stringify(payload),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      // Connection refused or reset, DNS failure, or our own timeout: all worth another try.
      throw new RetryableFailure(`${method} ${path}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
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

  private backoff(attempt: number, failure: RetryableFailure | undefined): number {
    const exponential = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (attempt - 1));
    const requested = failure?.retryAfterMs;
    return requested === undefined ? exponential : Math.min(this.maxBackoffMs, Math.max(exponential, requested));
  }
}

function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** A service's `{ error: { code, message } }`, made safe to pass on: an UPPER_SNAKE code, one short line. */
export function remoteErrorOf(body: unknown, maxMessageLength = 300): { code?: string; message?: string } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(error.code) ? error.code : undefined;
  const message =
    typeof error?.message === 'string' && error.message.trim()
      ? error.message.replace(/[\p{Cc}]+/gu, ' ').trim().slice(0, maxMessageLength)
      : undefined;
  return { code, message };
}
