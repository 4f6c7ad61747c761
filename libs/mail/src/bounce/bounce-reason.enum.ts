/**
 * Why inbound mail is refused with a bounce-back to its sender. A const object and a union of its
 * values rather than a TS enum, so callers may pass `BounceReason.TooLarge` or `'too-large'`.
 */
export const BounceReason = {
  /** Sent to an address in the alias domain that was never issued. */
  UnknownAlias: 'unknown-alias',
  /** Sent to an alias that was revoked. */
  RevokedAlias: 'revoked-alias',
  /** The sender's address matches no participant identity, not even in the legacy address history. */
  UnknownSender: 'unknown-sender',
  /** The sender is known but not a participant of the conversation the alias belongs to. */
  NotAParticipant: 'not-a-participant',
  TooLarge: 'too-large',
  /** Nothing was left once quotes and signature were trimmed. */
  EmptyAfterTrimming: 'empty-after-trimming',
} as const;

export type BounceReason = (typeof BounceReason)[keyof typeof BounceReason];

export const bounceReasons: readonly BounceReason[] = Object.values(BounceReason);

export function isBounceReason(value: string): value is BounceReason {
  return (bounceReasons as readonly string[]).includes(value);
}
