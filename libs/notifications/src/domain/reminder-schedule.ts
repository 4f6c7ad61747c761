/**
 * When reminders go out while a recipient has unread messages: offsets from the first unread
 * message, e.g. "24h,48h,7d" (units s, m, h, d). "off" or empty: no reminders.
 */
export function parseReminderSchedule(spec: string): number[] {
  const text = spec.trim().toLowerCase();
  if (!text || text === 'off') return [];
  const offsets = text.split(',').map((part) => {
    const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(part.trim());
    if (!match) throw new Error(`"${part.trim()}" is not a duration: expected a number and s, m, h or d, for example 24h`);
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
    return Math.round(Number(match[1]) * unit);
  });
  for (let i = 1; i < offsets.length; i++) {
    if (offsets[i] <= offsets[i - 1]) throw new Error('reminder offsets must increase, for example 24h,48h,7d');
  }
  return offsets;
}

/**
 * One recipient's reminders in one conversation. A cycle starts with the first message they
 * have not read and ends when they read or reply; each cycle sends each stage at most once.
 */
export interface ReminderState {
  id: string;
  conversationId: string;
  participantId: string;
  active: boolean;
  /** Increases with each new cycle: part of every reminder delivery's identity. */
  cycle: number;
  /** Time of the first unread message of the cycle: stages are counted from it. */
  since: Date | null;
  /** Messages received in the cycle. */
  unread: number;
  /** Index of the next stage to send. */
  nextStage: number;
  dueAt: Date | null;
  /** Seq of the last conversation event applied (events are applied once, in order). */
  lastSeq: number;
  claimedUntil: Date;
}

export function reminderIdOf(conversationId: string, participantId: string): string {
  return `${conversationId}:${participantId}`;
}
