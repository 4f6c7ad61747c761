export interface ConversationsOptions {
  aliasDomain: string;
  /** Domains of the legacy system whose UUID-style aliases keep routing. */
  legacyAliasDomains?: string[];
  /**
   * Run the change publisher (conversation log → Kafka) in this process. Safe in several
   * processes at once: a lease elects one active publisher.
   */
  publishChanges?: boolean;
  /** Idle polling interval of the change publisher. */
  publishPollMs?: number;
}

export const CONVERSATIONS_OPTIONS = Symbol('CONVERSATIONS_OPTIONS');

/** A clock the tests can move. */
export const CLOCK = Symbol('CLOCK');
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
