import { PlannedNotification } from '@libs/notifications';

export interface ParityOutcome {
  match: boolean;
  /** What the legacy system sent and the new path would not have. */
  missing: string[];
  /** What the new path would have sent and the legacy system did not. */
  extra: string[];
}

const keyOf = (channel: string, recipient: string) => `${channel}:${recipient.trim().toLowerCase()}`;

/** Compares, as sets of `channel:recipient`, what each system sends for one message. */
export function compareNotifications(planned: readonly PlannedNotification[], sent: readonly { recipient: string; channel: string }[]): ParityOutcome {
  const ours = new Set(planned.map((p) => keyOf(p.channel, p.recipient)));
  const theirs = new Set(sent.map((s) => keyOf(s.channel, s.recipient)));
  const missing = [...theirs].filter((k) => !ours.has(k)).sort();
  const extra = [...ours].filter((k) => !theirs.has(k)).sort();
  return { match: missing.length === 0 && extra.length === 0, missing, extra };
}
