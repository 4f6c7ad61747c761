import { JsonAnswer, ResilientJsonClient, ServiceUnreachableError, remoteErrorOf } from '@libs/http-client';
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
  private readonly client: ResilientJsonClient;

  constructor(options: HttpLegacySystemOptions) {
    this.client = new ResilientJsonClient({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs ?? 5_000,
      retries: options.retries,
      initialBackoffMs: options.initialBackoffMs,
      maxBackoffMs: options.maxBackoffMs,
      fetch: options.fetch,
      sleep: options.sleep,
    });
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
    const safeCode = remoteErrorOf(body).code;
    // 400/409/422: this request can never succeed; anything else (401, 403, …) is a deployment bug.
    if (status === 400 || status === 409 || status === 422) return LegacyBridgeErrors.rejected(status, safeCode);
    return new Error(`The legacy system answered HTTP ${status}${safeCode ? ` (${safeCode})` : ''}`);
  }

  private async request(method: 'GET' | 'POST', path: string, payload?: unknown, headers: Record<string, string> = {}): Promise<JsonAnswer> {
    try {
      return await this.client.request(method, path, payload, headers);
    } catch (error) {
      if (error instanceof ServiceUnreachableError) throw LegacyBridgeErrors.unavailable(error.cause ?? error);
      throw error;
    }
  }
}
