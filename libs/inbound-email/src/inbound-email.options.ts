export interface InboundEmailOptions {
  /** Largest raw email accepted, in bytes (default 25 MB). */
  maxBytes?: number;
  /** Envelope recipients one delivery may name (default 100). */
  maxRecipients?: number;
  /** Longest header line, in bytes (default 64 KB). */
  maxHeaderLineBytes?: number;
  /** How long to wait for the blob store, then for Kafka, before refusing as unavailable (default 15 s). */
  dependencyTimeoutMs?: number;
  /**
   * How long to wait for MongoDB before going on without it (default 2 s). The record is
   * bookkeeping: an email is safe once its raw bytes are stored and its event is on Kafka, so
   * the ingress keeps accepting while MongoDB is down (DESIGN §8).
   */
  recordTimeoutMs?: number;
  /** After MongoDB failed, how long the ingress goes on without it before trying again (default 5 s). */
  recordRetryAfterMs?: number;
  /** Needed by the Mailgun ingress only. */
  mailgun?: {
    signingKey: string;
    /** Posts whose timestamp is further from now, either way, are stale (default 300 s). */
    maxAgeSeconds?: number;
  };
  /** How often expired Mailgun tokens are removed (default 60 s; 0 turns the sweep off). */
  tokenSweepIntervalMs?: number;
}

export type ResolvedInboundEmailOptions = Required<Omit<InboundEmailOptions, 'mailgun'>> & {
  mailgun: { signingKey: string; maxAgeSeconds: number } | null;
};

export function resolveInboundEmailOptions(options: InboundEmailOptions): ResolvedInboundEmailOptions {
  return {
    maxBytes: options.maxBytes ?? 25 * 1024 * 1024,
    maxRecipients: options.maxRecipients ?? 100,
    maxHeaderLineBytes: options.maxHeaderLineBytes ?? 64 * 1024,
    dependencyTimeoutMs: options.dependencyTimeoutMs ?? 15_000,
    recordTimeoutMs: options.recordTimeoutMs ?? 2_000,
    recordRetryAfterMs: options.recordRetryAfterMs ?? 5_000,
    mailgun: options.mailgun ? { signingKey: options.mailgun.signingKey, maxAgeSeconds: options.mailgun.maxAgeSeconds ?? 300 } : null,
    tokenSweepIntervalMs: options.tokenSweepIntervalMs ?? 60_000,
  };
}

export const INBOUND_EMAIL_OPTIONS = Symbol('INBOUND_EMAIL_OPTIONS');

/** A clock the specs can move. */
export const INBOUND_CLOCK = Symbol('INBOUND_CLOCK');
export interface InboundClock {
  now(): Date;
}
export const systemInboundClock: InboundClock = { now: () => new Date() };
