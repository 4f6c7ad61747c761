import { ReminderState, reminderIdOf } from '../domain/reminder-schedule';
import { ReminderStore } from '../domain/stores.port';
import { roundTrip } from './in-memory-delivery.store';
import { clone } from './clone';

const UNCLAIMED = new Date(0);

/**
 * The reminder store port in memory, with the MongoDB store's conditional updates
 * (mongo-reminder.store.ts), each one atomic:
 * - conversation events apply only above a reminder's `lastSeq` (once, in order);
 * - a message starts a cycle for a recipient without a running one (`cycle` + 1), counts one more
 *   unread for the others, and ends the author's cycle (only if the author has a record);
 * - `claim` needs the cycle running, the same `cycle` and `nextStage`, and no live claim;
 * - `advance` applies to the same running `cycle` and `nextStage` only (a cycle ended while its
 *   stage was being sent stays ended), `postpone` to the same `cycle` and `nextStage`.
 * Several "instances" sharing one store race exactly where they would on MongoDB.
 */
export class InMemoryReminderStore implements ReminderStore {
  private readonly reminders = new Map<string, ReminderState>();

  async onMessage(input: { conversationId: string; seq: number; at: Date; authorId: string; recipientIds: string[]; firstDueAt: Date | null }): Promise<{ authorCycleEnded: boolean }> {
    const { conversationId, seq } = input;
    const [authorCycleEnded] = await Promise.all([
      (async () => {
        await roundTrip();
        // A reply ends the author's own cycle (no upsert: nothing to end without a record).
        const author = this.reminders.get(reminderIdOf(conversationId, input.authorId));
        if (!author || author.lastSeq >= seq) return false;
        const wasRunning = author.active;
        Object.assign(author, { active: false, dueAt: null, lastSeq: seq });
        return wasRunning;
      })(),
      ...input.recipientIds.map(async (participantId) => {
        const id = reminderIdOf(conversationId, participantId);
        await roundTrip();
        if (!this.reminders.has(id)) {
          this.reminders.set(id, { id, conversationId, participantId, active: false, cycle: 0, since: null, unread: 0, nextStage: 0, dueAt: null, lastSeq: 0, claimedUntil: UNCLAIMED });
        }
        await roundTrip();
        const reminder = this.reminders.get(id)!;
        if (input.firstDueAt && reminder.lastSeq < seq && !reminder.active) {
          Object.assign(reminder, {
            active: true,
            since: new Date(input.at),
            unread: 1,
            nextStage: 0,
            dueAt: new Date(input.firstDueAt),
            lastSeq: seq,
            claimedUntil: UNCLAIMED,
            cycle: reminder.cycle + 1,
          });
          return;
        }
        await roundTrip();
        if (reminder.lastSeq < seq) Object.assign(reminder, { unread: reminder.unread + 1, lastSeq: seq });
      }),
    ]);
    return { authorCycleEnded };
  }

  /** As on MongoDB: ends the cycle if the event is new to the record; true when one was running. */
  async cancel(conversationId: string, participantId: string, seq: number): Promise<boolean> {
    await roundTrip();
    const reminder = this.reminders.get(reminderIdOf(conversationId, participantId));
    if (!reminder || reminder.lastSeq >= seq) return false;
    const wasRunning = reminder.active;
    Object.assign(reminder, { active: false, dueAt: null, lastSeq: seq });
    return wasRunning;
  }

  async due(now: Date, limit: number): Promise<ReminderState[]> {
    await roundTrip();
    return [...this.reminders.values()]
      .filter((r) => r.active && r.dueAt !== null && r.dueAt.getTime() <= now.getTime())
      .slice(0, limit)
      .map(copy);
  }

  async claim(reminder: ReminderState, now: Date, claimedUntil: Date): Promise<ReminderState | null> {
    await roundTrip();
    const current = this.reminders.get(reminder.id);
    if (!current || !current.active || current.cycle !== reminder.cycle || current.nextStage !== reminder.nextStage || current.claimedUntil.getTime() > now.getTime()) return null;
    current.claimedUntil = new Date(claimedUntil);
    return copy(current);
  }

  async advance(reminder: ReminderState, nextDueAt: Date | null): Promise<void> {
    await roundTrip();
    const current = this.reminders.get(reminder.id);
    // A cycle ended (read, reply) while its stage was being sent stays ended.
    if (!current || !current.active || current.cycle !== reminder.cycle || current.nextStage !== reminder.nextStage) return;
    Object.assign(current, { nextStage: reminder.nextStage + 1, dueAt: nextDueAt && new Date(nextDueAt), active: nextDueAt !== null, claimedUntil: UNCLAIMED });
  }

  async postpone(reminder: ReminderState, retryAt: Date): Promise<void> {
    await roundTrip();
    const current = this.reminders.get(reminder.id);
    if (!current || current.cycle !== reminder.cycle || current.nextStage !== reminder.nextStage) return;
    current.claimedUntil = new Date(retryAt);
  }

  async get(conversationId: string, participantId: string): Promise<ReminderState | null> {
    await roundTrip();
    const reminder = this.reminders.get(reminderIdOf(conversationId, participantId));
    return reminder ? copy(reminder) : null;
  }

  /** Every reminder record, for assertions. */
  all(): ReminderState[] {
    return [...this.reminders.values()].map(copy);
  }
}

function copy(reminder: ReminderState): ReminderState {
  return clone(reminder);
}
