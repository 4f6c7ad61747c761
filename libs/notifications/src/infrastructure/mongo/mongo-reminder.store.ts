import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, Connection } from 'mongoose';
import { ReminderState, reminderIdOf } from '../../domain/reminder-schedule';
import { ReminderStore } from '../../domain/stores.port';

interface ReminderDocument {
  _id: string;
  conversationId: string;
  participantId: string;
  active: boolean;
  cycle: number;
  since?: Date | null;
  unread: number;
  nextStage: number;
  dueAt?: Date | null;
  lastSeq: number;
  claimedUntil: Date;
}

const UNCLAIMED = new Date(0);

/**
 * One document per recipient seat (`reminders`, `<conversationId>:<participantId>`). Every
 * change is a conditional update on that document: on `lastSeq` for conversation events (each
 * applied once, in order), on `cycle` + `nextStage` + `claimedUntil` for sending (one sender
 * per stage, whatever the number of notifier instances).
 */
@Injectable()
export class MongoReminderStore implements ReminderStore, OnModuleInit {
  private readonly reminders: Collection<ReminderDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.reminders = connection.collection<ReminderDocument>('reminders');
  }

  async onModuleInit(): Promise<void> {
    // What the scheduler asks every poll: due, running cycles.
    await this.reminders.createIndex({ active: 1, dueAt: 1 }).catch(() => undefined);
  }

  async onMessage(input: { conversationId: string; seq: number; at: Date; authorId: string; recipientIds: string[]; firstDueAt: Date | null }): Promise<{ authorCycleEnded: boolean }> {
    const { conversationId, seq } = input;
    const [authorBefore] = await Promise.all([
      // A reply ends the author's own cycle.
      this.reminders.findOneAndUpdate(
        { _id: reminderIdOf(conversationId, input.authorId), lastSeq: { $lt: seq } },
        { $set: { active: false, dueAt: null, lastSeq: seq } },
        { returnDocument: 'before' },
      ),
      ...input.recipientIds.map(async (participantId) => {
        const _id = reminderIdOf(conversationId, participantId);
        await this.reminders.updateOne(
          { _id },
          { $setOnInsert: { conversationId, participantId, active: false, cycle: 0, unread: 0, nextStage: 0, lastSeq: 0, claimedUntil: UNCLAIMED } },
          { upsert: true },
        );
        if (input.firstDueAt) {
          const started = await this.reminders.updateOne(
            { _id, lastSeq: { $lt: seq }, active: false },
            { $set: { active: true, since: input.at, unread: 1, nextStage: 0, dueAt: input.firstDueAt, lastSeq: seq, claimedUntil: UNCLAIMED }, $inc: { cycle: 1 } },
          );
          if (started.modifiedCount === 1) return;
        }
        await this.reminders.updateOne({ _id, lastSeq: { $lt: seq } }, { $inc: { unread: 1 }, $set: { lastSeq: seq } });
      }),
    ]);
    return { authorCycleEnded: (authorBefore as ReminderDocument | null)?.active === true };
  }

  async cancel(conversationId: string, participantId: string, seq: number): Promise<boolean> {
    const before = await this.reminders.findOneAndUpdate(
      { _id: reminderIdOf(conversationId, participantId), lastSeq: { $lt: seq } },
      { $set: { active: false, dueAt: null, lastSeq: seq } },
      { returnDocument: 'before' },
    );
    return (before as ReminderDocument | null)?.active === true;
  }

  async due(now: Date, limit: number): Promise<ReminderState[]> {
    const docs = (await this.reminders.find({ active: true, dueAt: { $lte: now } }).limit(limit).toArray()) as ReminderDocument[];
    return docs.map(toState);
  }

  async claim(reminder: ReminderState, now: Date, claimedUntil: Date): Promise<ReminderState | null> {
    const doc = await this.reminders.findOneAndUpdate(
      { _id: reminder.id, active: true, cycle: reminder.cycle, nextStage: reminder.nextStage, claimedUntil: { $lte: now } },
      { $set: { claimedUntil } },
      { returnDocument: 'after' },
    );
    return doc ? toState(doc as ReminderDocument) : null;
  }

  async advance(reminder: ReminderState, nextDueAt: Date | null): Promise<void> {
    await this.reminders.updateOne(
      { _id: reminder.id, active: true, cycle: reminder.cycle, nextStage: reminder.nextStage },
      { $set: { nextStage: reminder.nextStage + 1, dueAt: nextDueAt, active: nextDueAt !== null, claimedUntil: UNCLAIMED } },
    );
  }

  async postpone(reminder: ReminderState, retryAt: Date): Promise<void> {
    await this.reminders.updateOne({ _id: reminder.id, cycle: reminder.cycle, nextStage: reminder.nextStage }, { $set: { claimedUntil: retryAt } });
  }

  async get(conversationId: string, participantId: string): Promise<ReminderState | null> {
    const doc = (await this.reminders.findOne({ _id: reminderIdOf(conversationId, participantId) })) as ReminderDocument | null;
    return doc ? toState(doc) : null;
  }
}

function toState(doc: ReminderDocument): ReminderState {
  return {
    id: doc._id,
    conversationId: doc.conversationId,
    participantId: doc.participantId,
    active: doc.active === true,
    cycle: doc.cycle ?? 0,
    since: doc.since ?? null,
    unread: doc.unread ?? 0,
    nextStage: doc.nextStage ?? 0,
    dueAt: doc.dueAt ?? null,
    lastSeq: doc.lastSeq ?? 0,
    claimedUntil: doc.claimedUntil ?? UNCLAIMED,
  };
}
