/** A bounce-back as it leaves: built by @libs/mail's buildBounce. */
export interface OutgoingBounce {
  to: string;
  subject: string;
  text: string;
  headers: Record<string, string>;
}

export interface BounceSender {
  send(from: string, bounce: OutgoingBounce): Promise<void>;
}

/**
 * At most one bounce per sender and reason per hour: `reserve` answers true once per window, so
 * a redelivered email or a sender's retry storm never multiplies bounces.
 */
export interface BounceThrottle {
  reserve(sender: string, reason: string, at: Date): Promise<boolean>;
  /** Gives a reservation back when the bounce could not be sent, so a retry may send it. */
  release(sender: string, reason: string, at: Date): Promise<void>;
}

export const BOUNCE_SENDER = Symbol('BOUNCE_SENDER');
export const BOUNCE_THROTTLE = Symbol('BOUNCE_THROTTLE');

export function throttleKey(sender: string, reason: string, at: Date): string {
  return `${sender.toLowerCase()}|${reason}|${at.toISOString().slice(0, 13)}`;
}
