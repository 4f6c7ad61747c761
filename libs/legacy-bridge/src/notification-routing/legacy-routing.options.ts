export interface LegacyRoutingOptions {
  /** How long after a shadowed message its parity is checked against what the legacy system sent. */
  parityDelayMs: number;
  /** How often due parity checks are looked for. */
  parityPollMs: number;
}

export const LEGACY_ROUTING_OPTIONS = Symbol('LEGACY_ROUTING_OPTIONS');
