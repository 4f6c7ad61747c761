/** The shared secret(s) of the status webhook (NOTIFY_PROVIDER_WEBHOOK_SECRET); several while rotating. */
export const PROVIDER_WEBHOOK_SECRET = Symbol('PROVIDER_WEBHOOK_SECRET');
export type ProviderWebhookSecret = string | readonly string[];

export const STATUS_WEBHOOK_LIMITS = Symbol('STATUS_WEBHOOK_LIMITS');
export interface StatusWebhookLimits {
  /** How far the signed time may be from ours, either way. */
  toleranceSeconds: number;
  /** Larger bodies are refused with 413; a status report is a few hundred bytes. */
  maxBodyBytes: number;
}

export const DEFAULT_STATUS_WEBHOOK_LIMITS: StatusWebhookLimits = { toleranceSeconds: 300, maxBodyBytes: 64 * 1024 };

/** Seconds the provider should wait before retrying after a 503. */
export const STATUS_WEBHOOK_RETRY_AFTER_SECONDS = 30;
