import { OnApplicationShutdown } from '@nestjs/common';
import CircuitBreaker from 'opossum';
import { JsonAnswer, ResilientJsonClient, ServiceUnreachableError, remoteErrorOf } from '@libs/http-client';
import { LegacyBridgeErrors } from '../../domain/legacy-bridge.errors';
import {
  LegacyAlias,
  LegacyCancelReminders,
  LegacyHandOver,
  LegacyHandOverResult,
  LegacyNotificationSent,
  LegacyPostMessage,
  LegacyPostMessageResult,
  LegacySystem,
} from '../../domain/legacy-system.port';

export type LegacyCircuitState = 'closed' | 'open' | 'half-open';

export const LEGACY_CIRCUIT_STATES: readonly LegacyCircuitState[] = ['closed', 'open', 'half-open'];

export interface LegacyCircuitBreakerOptions {
  /** The circuit opens when more than this share of the calls in the window failed (percent). Default 50. */
  errorThresholdPercentage?: number;
  /** Calls in the window before the circuit may open at all. Default 10. */
  volumeThreshold?: number;
  /** The rolling window the share is computed over. Default 10 000. */
  rollingWindowMs?: number;
  /** How long the circuit stays open before one probe call is let through (half-open). Default 5 000. */
  resetTimeoutMs?: number;
}

export interface HttpLegacySystemOptions {
  /** Base URL of the legacy system's bridge API, e.g. https://legacy.internal/bridge */
  baseUrl: string;
  /** Per attempt. */
  timeoutMs?: number;
  /** Attempts after the first one, for network errors, timeouts and 5xx. */
  retries?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** The circuit breaker around every call; false turns it off. */
  circuitBreaker?: LegacyCircuitBreakerOptions | false;
  /** Told every change of the circuit's state (and the initial `closed`), e.g. for a gauge. */
  onCircuitStateChange?: (state: LegacyCircuitState) => void;
  /** For tests. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

export const LEGACY_CIRCUIT_DEFAULTS: Required<LegacyCircuitBreakerOptions> = {
  errorThresholdPercentage: 50,
  volumeThreshold: 10,
  rollingWindowMs: 10_000,
  resetTimeoutMs: 5_000,
};

/** The key that makes one hand-over of one email for one alias happen once, however often it is sent. */
export function handOverKey(inboundEmailId: string, alias: string): string {
  return `${inboundEmailId}:${alias.toLowerCase()}`;
}

type Method = 'GET' | 'POST';

/**
 * The legacy system over HTTP, speaking the contract in docs/legacy-system.md.
 *
 * Each request has its own timeout and is retried with exponential backoff on network errors,
 * timeouts and 5xx, then fails with LEGACY_SYSTEM_UNAVAILABLE (category Unavailable), so the
 * caller retries later (the relay's consumer, the notifier's durable call queue): nothing is
 * dropped. Retrying a write is safe: each carries an idempotency key.
 *
 * A circuit breaker (opossum) sits around every request: when more than half of at least ten
 * requests in ten seconds ended unreachable, it opens and every call fails at once with
 * LEGACY_SYSTEM_UNAVAILABLE instead of waiting on a dead system; after five seconds one probe is
 * let through (half-open), and its success closes the circuit again. Answers (2xx, 4xx) are not
 * failures: only "unreachable" counts.
 */
export class HttpLegacySystem implements LegacySystem, OnApplicationShutdown {
  private readonly client: ResilientJsonClient;
  private readonly breaker: CircuitBreaker<[Method, string, unknown, Record<string, string>], JsonAnswer> | null;
  private state: LegacyCircuitState = 'closed';

  constructor(private readonly options: HttpLegacySystemOptions) {
    this.client = new ResilientJsonClient({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs ?? 5_000,
      retries: options.retries,
      initialBackoffMs: options.initialBackoffMs,
      maxBackoffMs: options.maxBackoffMs,
      fetch: options.fetch,
      sleep: options.sleep,
    });
    this.breaker = options.circuitBreaker === false ? null : this.createBreaker({ ...LEGACY_CIRCUIT_DEFAULTS, ...options.circuitBreaker });
    options.onCircuitStateChange?.('closed');
  }

  /** The circuit breaker's state now (`closed` when there is none). */
  get circuitState(): LegacyCircuitState {
    return this.state;
  }

  onApplicationShutdown(): void {
    this.breaker?.shutdown();
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
    const { status, body } = await this.request('GET', `/aliases/${encodeURIComponent(normalizeAddress(address))}`);
    if (status === 404) return null;
    if (status !== 200) throw this.refusal(status, body);
    const value = body as { legacyConversationId?: unknown; conversationId?: unknown } | undefined;
    if (!value || typeof value.legacyConversationId !== 'string' || !value.legacyConversationId) {
      throw new Error('The legacy system returned a malformed alias');
    }
    const conversationId = typeof value.conversationId === 'string' && value.conversationId ? value.conversationId : null;
    return { legacyConversationId: value.legacyConversationId, conversationId };
  }

  async postMessage(call: LegacyPostMessage): Promise<LegacyPostMessageResult> {
    const payload = {
      conversationId: call.conversationId,
      useCase: call.useCase ?? null,
      subject: call.subject,
      message: { ...call.message, authorEmail: normalizeAddress(call.message.authorEmail) },
      participants: call.participants.map((p) => ({ email: normalizeAddress(p.email), displayName: p.displayName, role: p.role ?? null })),
      suppressNotification: call.suppressNotification,
    };
    const { status, body } = await this.request('POST', '/messages', payload, { [IDEMPOTENCY_KEY_HEADER]: requireKey(call.idempotencyKey) });
    if (status !== 200 && status !== 201) throw this.refusal(status, body);
    const legacyMessageId = (body as { legacyMessageId?: unknown } | undefined)?.legacyMessageId;
    if (typeof legacyMessageId !== 'string' || !legacyMessageId) throw new Error('The legacy system returned a malformed message (no legacyMessageId)');
    return { legacyMessageId, duplicate: status === 200 };
  }

  async cancelReminders(call: LegacyCancelReminders): Promise<void> {
    const payload = { conversationId: call.conversationId, participantEmail: normalizeAddress(call.participantEmail), reason: call.reason };
    const { status, body } = await this.request('POST', '/reminder-cancellations', payload, { [IDEMPOTENCY_KEY_HEADER]: requireKey(call.idempotencyKey) });
    if (status !== 200 && status !== 201 && status !== 204) throw this.refusal(status, body);
  }

  async senderAddresses(address: string): Promise<string[]> {
    const asked = normalizeAddress(address);
    const { status, body } = await this.request('GET', `/people/${encodeURIComponent(asked)}/addresses`);
    if (status === 404) return [];
    if (status !== 200) throw this.refusal(status, body);
    const addresses = (body as { addresses?: unknown } | undefined)?.addresses;
    if (!Array.isArray(addresses)) throw new Error('The legacy system returned a malformed address list');
    const found = addresses.filter((a): a is string => typeof a === 'string' && a.trim() !== '').map(normalizeAddress);
    return [...new Set(found)].filter((a) => a !== asked);
  }

  async notificationsSent(idempotencyKey: string): Promise<LegacyNotificationSent[] | null> {
    const { status, body } = await this.request('GET', `/messages/${encodeURIComponent(requireKey(idempotencyKey))}/notifications`);
    if (status === 404) return null;
    if (status !== 200) throw this.refusal(status, body);
    const notifications = (body as { notifications?: unknown } | undefined)?.notifications;
    if (!Array.isArray(notifications)) throw new Error('The legacy system returned a malformed notification list');
    return notifications.map((n: { recipient?: unknown; channel?: unknown } | null) => {
      if (!n || typeof n.recipient !== 'string' || typeof n.channel !== 'string') throw new Error('The legacy system returned a malformed notification');
      return { recipient: normalizeAddress(n.recipient), channel: n.channel };
    });
  }

  private refusal(status: number, body: unknown): Error {
    const safeCode = remoteErrorOf(body).code;
    // 400/409/422: this request can never succeed; anything else (401, 403, …) is a deployment bug.
    if (status === 400 || status === 409 || status === 422) return LegacyBridgeErrors.rejected(status, safeCode);
    return new Error(`The legacy system answered HTTP ${status}${safeCode ? ` (${safeCode})` : ''}`);
  }

  private async request(method: Method, path: string, payload?: unknown, headers: Record<string, string> = {}): Promise<JsonAnswer> {
    try {
      return this.breaker ? await this.breaker.fire(method, path, payload, headers) : await this.client.request(method, path, payload, headers);
    } catch (error) {
      if (error instanceof ServiceUnreachableError) throw LegacyBridgeErrors.unavailable(error.cause ?? error);
      // Open circuit (EOPENBREAKER), or shut down with the app (ESHUTDOWN): fail fast, try later.
      if (error instanceof Error && CircuitBreaker.isOurError(error)) throw LegacyBridgeErrors.unavailable(error);
      throw error;
    }
  }

  private createBreaker(options: Required<LegacyCircuitBreakerOptions>): CircuitBreaker<[Method, string, unknown, Record<string, string>], JsonAnswer> {
    const breaker = new CircuitBreaker((method: Method, path: string, payload: unknown, headers: Record<string, string>) => this.client.request(method, path, payload, headers), {
      name: 'legacy-system',
      // Each attempt has its own timeout in the client; the breaker does not add one.
      timeout: false,
      errorThresholdPercentage: options.errorThresholdPercentage,
      volumeThreshold: options.volumeThreshold,
      rollingCountTimeout: options.rollingWindowMs,
      rollingCountBuckets: 10,
      resetTimeout: options.resetTimeoutMs,
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
      // Only "unreachable" counts against the legacy system; anything else is a bug of ours.
      errorFilter: (error: unknown) => !(error instanceof ServiceUnreachableError),
    } as CircuitBreaker.Options);
    breaker.on('open', () => this.changeState('open'));
    breaker.on('halfOpen', () => this.changeState('half-open'));
    breaker.on('close', () => this.changeState('closed'));
    return breaker;
  }

  private changeState(state: LegacyCircuitState): void {
    if (state === this.state) return;
    this.state = state;
    this.options.onCircuitStateChange?.(state);
  }
}

function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}

function requireKey(key: string): string {
  if (typeof key !== 'string' || !key.trim()) throw new Error('An idempotency key is required');
  return key;
}
