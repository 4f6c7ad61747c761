import { LegacyBridgeErrors } from '../../domain/legacy-bridge.errors';
import { LegacyAlias, LegacyHandOver, LegacyHandOverResult, LegacySystem } from '../../domain/legacy-system.port';

export interface HttpLegacySystemOptions {
  /** Base URL of the legacy system's bridge API, e.g. https://legacy.internal/bridge */
  baseUrl: string;
  /** Per attempt. */
  timeoutMs?: number;
  /** Attempts after the first one, for network errors, timeouts and 5xx. */
  retries?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** For tests. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
}

class RetryableFailure extends Error {}

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** The key that makes one hand-over of one email for one alias happen once, however often it is sent. */
export function handOverKey(inboundEmailId: string, alias: string): string {
  return `${inboundEmailId}:${alias.toLowerCase()}`;
}

/**
 * The legacy system over HTTP, speaking the contract in docs/legacy-system.md.
 *
 * Each request has its own timeout and is retried with exponential backoff on network errors,
 * timeouts and 5xx, then fails with LEGACY_SYSTEM_UNAVAILABLE (category Unavailable), so the
 * relay's consumer retries the email later or dead-letters it: an email is never dropped.
 * Retrying a hand-over is safe: it carries an idempotency key (inbound email id + alias).
 */
export class HttpLegacySystem implements LegacySystem {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: HttpLegacySystemOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.retries = options.retries ?? 3;
    this.initialBackoffMs = options.initialBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 2_000;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async handOverInboundEmail(handOver: LegacyHandOver): Promise<LegacyHandOverResult[]> {
    const results: LegacyHandOverResult[] = [];
    for (const alias of [...new Set(handOver.legacyAliases.map((a) => a.toLowerCase()))]) {
      const payload = {
        inboundEmailId: handOver.inboundEmailId,
        alias,
        blobKey: handOver.blobKey,
        rawSha256: handOver.rawSha256,
        envelopeSender: handOver.envelopeSender,
      };
      const { status, body } = await this.request('POST', '/inbound-emails', payload, { [IDEMPOTENCY_KEY_HEADER]: handOverKey(handOver.inboundEmailId, alias) });
      if (status !== 200 && status !== 201) throw this.refusal(status, body);
      results.push({ alias, duplicate: status === 200 });
    }
    return results;
  }

  async resolveAlias(address: string): Promise<LegacyAlias | null> {
    const { status, body } = await this.request('GET', `/aliases/${encodeURIComponent(address.trim().toLowerCase())}`);
    if (status === 404) return null;
    if (status !== 200) throw this.refusal(status, body);
    const value = body as { legacyConversationId?: unknown; conversationId?: unknown } | undefined;
    if (!value || typeof value.legacyConversationId !== 'string' || !value.legacyConversationId) {
      throw new Error('The legacy system returned a malformed alias');
    }
    const conversationId = typeof value.conversationId === 'string' && value.conversationId ? value.conversationId : null;
    return { legacyConversationId: value.legacyConversationId, conversationId };
  }

  private refusal(status: number, body: unknown): Error {
    const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
    const safeCode = typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : undefined;
    // 400/409/422: this request can never succeed; anything else (401, 403, …) is a deployment bug.
    if (status === 400 || status === 409 || status === 422) return LegacyBridgeErrors.rejected(status, safeCode);
    return new Error(`The legacy system answered HTTP ${status}${safeCode ? ` (${safeCode})` : ''}`);
  }

  private async request(method: 'GET' | 'POST', path: string, payload?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    let lastFailure: unknown;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) await this.sleep(Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (attempt - 1)));
      try {
        return await this.attempt(method, path, payload, headers);
      } catch (error) {
        if (!(error instanceof RetryableFailure)) throw error;
        lastFailure = error;
      }
    }
    throw LegacyBridgeErrors.unavailable(lastFailure);
  }

  private async attempt(method: string, path: string, payload: unknown, headers: Record<string, string>): Promise<Answer> {
    let response: Response;
    try {
      response = await this.fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { accept: 'application/json', ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: payload === undefined ? undefined : JSON.stringify(payload),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      // Connection refused or reset, DNS failure, or our own timeout: all worth another try.
      throw new RetryableFailure(`${method} ${path}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
    }
    if (response.status >= 500) {
      await response.body?.cancel().catch(() => undefined);
      throw new RetryableFailure(`${method} ${path}: HTTP ${response.status}`);
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
}
