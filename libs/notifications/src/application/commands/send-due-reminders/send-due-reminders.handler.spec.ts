import { Logger } from '@nestjs/common';
import { deliveryIdOf } from '../../../domain/delivery';
import { reminderIdOf } from '../../../domain/reminder-schedule';
import { NotificationsOptions } from '../../../notifications.options';
import { DAY, HOUR, notificationsTestBed } from '../../../testing';
import { HandleConversationEventCommand } from '../handle-conversation-event/handle-conversation-event.command';
import { SendDueRemindersCommand } from './send-due-reminders.command';

const MINUTE = 60_000;
const LEASE_MS = 200;

/** Alice wrote to Bob (email only) and Carol (account holder) a minute ago; the event was handled. */
async function unreadForBobAndCarol(options: Partial<NotificationsOptions> = {}) {
  const bed = notificationsTestBed({ leaseMs: LEASE_MS, ...options });
  const { conversations } = bed;
  const { id } = conversations.create(
    {
      subject: 'Senior engineer role',
      useCase: null,
      creator: { accountId: 'acc-alice', email: 'alice@example.com', displayName: 'Alice Example' },
      participants: [
        { email: 'bob@acme.example', displayName: 'Bob Smith' },
        { email: 'carol@example.com', displayName: 'Carol Jones', accountId: 'acc-carol' },
      ],
    },
    new Date(Date.now() - 2 * MINUTE),
  );
  const alice = conversations.participant(id, 'alice@example.com');
  const bob = conversations.participant(id, 'bob@acme.example');
  const carol = conversations.participant(id, 'carol@example.com');
  const message = conversations.addMessage(id, alice.id, 'Are you free on Tuesday?', new Date(Date.now() - MINUTE));
  const handle = (event: HandleConversationEventCommand['event']) => bed.handleEvent.execute(new HandleConversationEventCommand(event));
  await handle(message);
  bed.email.sent.length = 0;
  bed.email.attempts.length = 0;
  /** Moves the notifier's clock to `offset` after the message (plus a minute). */
  const at = (offset: number) => bed.clock.setOffset(offset + MINUTE);
  const run = (instance = bed) => instance.sendDueReminders.execute(new SendDueRemindersCommand());
  const remindersTo = (address: string) => bed.email.sentTo(address).filter((e) => e.subject.startsWith('Reminder:'));
  return { ...bed, id, alice, bob, carol, message, handle, at, run, remindersTo };
}

beforeAll(() => Logger.overrideLogger(false));

describe('SendDueRemindersHandler', () => {
  it('sends nothing before the first stage is due', async () => {
    const { run, at, email } = await unreadForBobAndCarol();
    at(23 * HOUR);
    await expect(run()).resolves.toEqual({ sent: 0, skipped: 0, postponed: 0 });
    expect(email.attempts).toEqual([]);
  });

  it('sends each stage once when due, then ends the cycle after the last', async () => {
    const { id, bob, carol, run, at, email, reminders, remindersTo, message } = await unreadForBobAndCarol();

    at(24 * HOUR);
    await expect(run()).resolves.toEqual({ sent: 2, skipped: 0, postponed: 0 });
    expect(remindersTo('bob@acme.example')).toHaveLength(1);
    expect(remindersTo('carol@example.com')).toHaveLength(1);
    expect(remindersTo('bob@acme.example')[0]).toMatchObject({ subject: 'Reminder: 1 unread message in Senior engineer role', from: { name: 'Conversation Alias' }, replyTo: bob.alias });
    expect(await reminders.get(id, bob.id)).toMatchObject({ active: true, nextStage: 1, dueAt: new Date(Date.parse(message.occurredAt) + 48 * HOUR) });

    await expect(run()).resolves.toEqual({ sent: 0, skipped: 0, postponed: 0 });
    expect(email.sent).toHaveLength(2);

    at(48 * HOUR);
    await expect(run()).resolves.toMatchObject({ sent: 2 });
    expect(remindersTo('bob@acme.example')).toHaveLength(2);
    await expect(run()).resolves.toMatchObject({ sent: 0 });

    at(7 * DAY);
    await expect(run()).resolves.toMatchObject({ sent: 2 });
    expect(remindersTo('bob@acme.example')).toHaveLength(3);
    expect(remindersTo('carol@example.com')).toHaveLength(3);
    for (const seat of [bob, carol]) {
      expect(await reminders.get(id, seat.id)).toMatchObject({ active: false, dueAt: null, nextStage: 3, cycle: 1 });
    }

    at(30 * DAY);
    await expect(run()).resolves.toEqual({ sent: 0, skipped: 0, postponed: 0 });
    expect(email.sent).toHaveLength(6);
  });

  it('gives each stage its own delivery, on every channel but in-app', async () => {
    const { id, bob, carol, run, at, deliveries, preferences, provider, inbox } = await unreadForBobAndCarol();
    await preferences.save({ conversationId: id, participantId: bob.id, email: true, sms: true, push: false, phoneNumber: '+4915112345678', pushToken: null, updatedAt: null });
    const inboxBefore = inbox.all().length;

    at(24 * HOUR);
    await run();

    const source = `reminder:${reminderIdOf(id, bob.id)}:1:0`;
    expect(await deliveries.get(deliveryIdOf(source, bob.id, 'email'))).toMatchObject({ kind: 'reminder', state: 'sent', source });
    expect(provider.sent).toEqual([expect.objectContaining({ channel: 'sms', template: 'reminder', idempotencyKey: deliveryIdOf(source, bob.id, 'sms'), data: expect.objectContaining({ unreadCount: 1 }) })]);
    expect(await deliveries.get(deliveryIdOf(`reminder:${reminderIdOf(id, carol.id)}:1:0`, carol.id, 'in_app'))).toBeNull();
    expect(inbox.all()).toHaveLength(inboxBefore);
  });

  it('counts the unread messages of the cycle in the reminder', async () => {
    const { id, alice, conversations, handle, run, at, remindersTo } = await unreadForBobAndCarol();
    await handle(conversations.addMessage(id, alice.id, 'And Wednesday?', new Date(Date.now() - MINUTE / 2)));

    at(24 * HOUR);
    await run();
    expect(remindersTo('bob@acme.example').map((e) => e.subject)).toEqual(['Reminder: 2 unread messages in Senior engineer role']);
  });

  it('sends no reminder to someone who read the conversation', async () => {
    const { id, carol, conversations, handle, run, at, remindersTo } = await unreadForBobAndCarol();
    await handle(conversations.markRead(id, carol.id));

    at(24 * HOUR);
    await expect(run()).resolves.toMatchObject({ sent: 1 });
    expect(remindersTo('bob@acme.example')).toHaveLength(1);
    expect(remindersTo('carol@example.com')).toEqual([]);
  });

  it('sends no reminder to someone who replied, and reminds the author of the question of the reply', async () => {
    const { id, bob, conversations, handle, run, at, remindersTo } = await unreadForBobAndCarol();
    await handle(conversations.addMessage(id, bob.id, 'Tuesday works.', new Date(Date.now() - MINUTE / 2)));

    at(24 * HOUR);
    await expect(run()).resolves.toMatchObject({ sent: 2 });
    expect(remindersTo('bob@acme.example')).toEqual([]);
    expect(remindersTo('alice@example.com').map((e) => e.subject)).toEqual(['Reminder: 1 unread message in Senior engineer role']);
    expect(remindersTo('carol@example.com').map((e) => e.subject)).toEqual(['Reminder: 2 unread messages in Senior engineer role']);
  });

  it('sends each stage once when two instances run at the same time', async () => {
    const bed = await unreadForBobAndCarol();
    const instances = [bed, bed.anotherInstance(), bed.anotherInstance()];

    for (const [stage, offset] of [[1, 24 * HOUR], [2, 48 * HOUR], [3, 7 * DAY]] as const) {
      bed.at(offset);
      const outcomes = await Promise.all(instances.map((instance) => bed.run(instance as typeof bed)));
      expect(outcomes.reduce((sum, o) => sum + o.sent, 0)).toBe(2);
      expect(bed.remindersTo('bob@acme.example')).toHaveLength(stage);
      expect(bed.remindersTo('carol@example.com')).toHaveLength(stage);
    }
    expect(bed.email.attempts).toHaveLength(6);
  });

  it('postpones a stage that failed transiently without advancing it, and sends it on a later run', async () => {
    const { id, bob, run, at, email, reminders, deliveries, remindersTo } = await unreadForBobAndCarol();
    email.failFor('bob@acme.example', 'transient');
    at(24 * HOUR);

    await expect(run()).resolves.toEqual({ sent: 1, skipped: 0, postponed: 1 });
    expect(remindersTo('bob@acme.example')).toEqual([]);
    const postponed = await reminders.get(id, bob.id);
    expect(postponed).toMatchObject({ active: true, nextStage: 0 });
    expect(postponed!.claimedUntil.getTime()).toBeGreaterThan(Date.now());

    // Not before the pause is over.
    await expect(run()).resolves.toEqual({ sent: 0, skipped: 1, postponed: 0 });
    expect(email.attempts.filter((e) => e.to.address === 'bob@acme.example')).toHaveLength(1);

    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 20));
    await expect(run()).resolves.toEqual({ sent: 1, skipped: 0, postponed: 0 });
    expect(remindersTo('bob@acme.example')).toHaveLength(1);
    expect(await reminders.get(id, bob.id)).toMatchObject({ nextStage: 1 });
    const source = `reminder:${reminderIdOf(id, bob.id)}:1:0`;
    expect(await deliveries.get(deliveryIdOf(source, bob.id, 'email'))).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('does nothing when reminders are off', async () => {
    const { run, at, email } = await unreadForBobAndCarol({ reminderOffsetsMs: [] });
    at(30 * DAY);
    await expect(run()).resolves.toEqual({ sent: 0, skipped: 0, postponed: 0 });
    expect(email.attempts).toEqual([]);
  });

  it('takes at most `limit` stages per run', async () => {
    const { run, at, sendDueReminders } = await unreadForBobAndCarol();
    at(24 * HOUR);
    await expect(sendDueReminders.execute(new SendDueRemindersCommand(1))).resolves.toMatchObject({ sent: 1 });
    await expect(run()).resolves.toMatchObject({ sent: 1 });
  });

  it('ends the cycle for good when the recipient reads while a stage is being sent', async () => {
    const { id, bob, conversations, handle, run, at, email, reminders, remindersTo } = await unreadForBobAndCarol();
    let read = false;
    email.beforeSend = async (outgoing) => {
      if (outgoing.to.address !== 'bob@acme.example' || read) return;
      read = true;
      await handle(conversations.markRead(id, bob.id));
    };

    at(24 * HOUR);
    await run();
    expect(remindersTo('bob@acme.example')).toHaveLength(1);
    expect(await reminders.get(id, bob.id)).toMatchObject({ active: false });

    at(48 * HOUR);
    await run();
    expect(remindersTo('bob@acme.example')).toHaveLength(1);
  });
});
