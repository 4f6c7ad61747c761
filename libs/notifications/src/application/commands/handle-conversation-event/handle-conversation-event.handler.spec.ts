import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Logger } from '@nestjs/common';
import { NOTIFICATION_HEADER } from '@libs/mail';
import { deliveryIdOf } from '../../../domain/delivery';
import { TransientDeliveryError } from '../../../domain/delivery.errors';
import { HOUR, notificationsTestBed } from '../../../testing';
import { NotificationsOptions } from '../../../notifications.options';
import { HandleConversationEventCommand } from './handle-conversation-event.command';

const ALICE = { accountId: 'acc-alice', email: 'alice@example.com', displayName: 'Alice Example' };

/**
 * Alice (account holder, creator) with Bob (email only) and Carol (account holder), created a
 * minute ago. Dave may join later.
 */
function aConversation(options: Partial<NotificationsOptions> = {}, setup: Parameters<typeof notificationsTestBed>[1] = {}) {
  const bed = notificationsTestBed(options, setup);
  const createdAt = new Date(Date.now() - 60_000);
  const { id } = bed.conversations.create(
    {
      subject: 'Senior engineer role',
      useCase: 'recruiting',
      creator: ALICE,
      participants: [
        { email: 'bob@acme.example', displayName: 'Bob Smith' },
        { email: 'carol@example.com', displayName: 'Carol Jones', accountId: 'acc-carol' },
      ],
    },
    createdAt,
  );
  const seat = (email: string) => bed.conversations.participant(id, email);
  const handle = (event: HandleConversationEventCommand['event']) => bed.handleEvent.execute(new HandleConversationEventCommand(event));
  return { ...bed, id, alice: seat('alice@example.com'), bob: seat('bob@acme.example'), carol: seat('carol@example.com'), createdAt, handle };
}

beforeAll(() => Logger.overrideLogger(false));

describe('HandleConversationEventHandler: MessageAdded', () => {
  it('sends one delivery per recipient and channel, none to the author', async () => {
    const { id, alice, bob, carol, conversations, handle, deliveries, email, inbox } = aConversation();
    const event = conversations.addMessage(id, alice.id, 'Hello both,\nare you free on Tuesday?');

    await expect(handle(event)).resolves.toEqual({ deliveries: { sent: 3, failed: 0, alreadyDone: 0 }, remindersCancelled: 0 });

    const source = `${id}:${event.seq}`;
    expect(
      deliveries
        .all()
        .map((d) => [d.id, d.participantId, d.channel, d.recipient, d.state])
        .sort(),
    ).toEqual(
      [
        [deliveryIdOf(source, bob.id, 'email'), bob.id, 'email', 'bob@acme.example', 'sent'],
        [deliveryIdOf(source, carol.id, 'in_app'), carol.id, 'in_app', 'acc-carol', 'delivered'],
        [deliveryIdOf(source, carol.id, 'email'), carol.id, 'email', 'carol@example.com', 'sent'],
      ].sort(),
    );
    expect(email.sent.map((e) => e.to.address).sort()).toEqual(['bob@acme.example', 'carol@example.com']);
    expect(inbox.all()).toEqual([
      expect.objectContaining({ id: deliveryIdOf(source, carol.id, 'in_app'), accountId: 'acc-carol', conversationId: id, messageId: event.data.messageId, title: 'Alice Example in Senior engineer role' }),
    ]);
  });

  it('composes the email as the author writing to the recipient, answerable through their alias', async () => {
    const { id, alice, bob, conversations, handle, email } = aConversation();
    const event = conversations.addMessage(id, alice.id, 'Are you free on Tuesday?');
    await handle(event);

    const [toBob] = email.sentTo('bob@acme.example');
    expect(toBob).toMatchObject({
      from: { name: 'Alice Example', address: 'notifications@relay.example.com' },
      to: { name: 'Bob Smith', address: 'bob@acme.example' },
      replyTo: bob.alias,
      subject: 'Re: Senior engineer role',
      headers: expect.objectContaining({ [NOTIFICATION_HEADER]: deliveryIdOf(`${id}:${event.seq}`, bob.id, 'email') }),
    });
    expect(toBob.text).toContain('Are you free on Tuesday?');
  });

  it('adds SMS for a recipient who opted in with a number, through the provider, keyed by the delivery id', async () => {
    const { id, alice, bob, conversations, handle, preferences, provider } = aConversation();
    await preferences.save({ conversationId: id, participantId: bob.id, email: true, sms: true, push: false, phoneNumber: '+4915112345678', pushToken: null, updatedAt: null });
    const event = conversations.addMessage(id, alice.id, 'Short one');

    await expect(handle(event)).resolves.toMatchObject({ deliveries: { sent: 4 } });
    expect(provider.sent).toEqual([
      {
        channel: 'sms',
        recipient: '+4915112345678',
        template: 'new-message',
        data: { conversationId: id, subject: 'Senior engineer role', authorName: 'Alice Example', preview: 'Short one', unreadCount: null },
        idempotencyKey: deliveryIdOf(`${id}:${event.seq}`, bob.id, 'sms'),
      },
    ]);
  });

  it('leaves out a participant who joined after the message', async () => {
    const { id, alice, conversations, handle, email } = aConversation();
    const event = conversations.addMessage(id, alice.id, 'Before Dave', new Date(Date.now() - 30_000));
    conversations.addParticipant(id, { email: 'dave@example.org', displayName: 'Dave' }, new Date(Date.now() - 10_000));

    await expect(handle(event)).resolves.toMatchObject({ deliveries: { sent: 3 } });
    expect(email.sentTo('dave@example.org')).toEqual([]);
    expect(conversations.state(id).version).toBe(event.seq + 1);
  });

  it('sends nothing new for a redelivered event', async () => {
    const { id, alice, conversations, handle, email, inbox, deliveries } = aConversation();
    const event = conversations.addMessage(id, alice.id, 'Once');
    await handle(event);

    await expect(handle(event)).resolves.toEqual({ deliveries: { sent: 0, failed: 0, alreadyDone: 3 }, remindersCancelled: 0 });
    expect(email.sent).toHaveLength(2);
    expect(inbox.all()).toHaveLength(1);
    expect(deliveries.size).toBe(3);
  });

  it('still sends to the others when one recipient fails transiently, then throws so the event is retried; the retry sends only what is missing', async () => {
    const { id, alice, bob, conversations, handle, email, deliveries } = aConversation();
    email.failFor('bob@acme.example', 'transient');
    const event = conversations.addMessage(id, alice.id, 'Hello');

    await expect(handle(event)).rejects.toBeInstanceOf(TransientDeliveryError);
    expect(email.sent.map((e) => e.to.address)).toEqual(['carol@example.com']);
    expect(await deliveries.get(deliveryIdOf(`${id}:${event.seq}`, bob.id, 'email'))).toMatchObject({ state: 'pending', lastError: expect.stringContaining('unavailable') });

    await expect(handle(event)).resolves.toEqual({ deliveries: { sent: 1, failed: 0, alreadyDone: 2 }, remindersCancelled: 0 });
    expect(email.sent.map((e) => e.to.address).sort()).toEqual(['bob@acme.example', 'carol@example.com']);
  });

  it('names how many deliveries will be retried when several fail', async () => {
    const { id, alice, conversations, handle, email } = aConversation();
    email.fail('transient', { times: Infinity });
    const event = conversations.addMessage(id, alice.id, 'Hello');

    const error = await handle(event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect((error as Error).message).toMatch(new RegExp(`^2 of 3 deliveries of ${id}:${event.seq} will be retried: `));
  });

  it('counts a permanent refusal as failed without failing the event', async () => {
    const { id, alice, conversations, handle, email } = aConversation();
    email.failFor('bob@acme.example', 'permanent');
    const event = conversations.addMessage(id, alice.id, 'Hello');

    await expect(handle(event)).resolves.toMatchObject({ deliveries: { sent: 2, failed: 1, alreadyDone: 0 } });
    await expect(handle(event)).resolves.toMatchObject({ deliveries: { sent: 0, failed: 0, alreadyDone: 3 } });
    expect(email.attempts.filter((e) => e.to.address === 'bob@acme.example')).toHaveLength(1);
  });

  it('fails SMS for good when a provider is promised but none is wired', async () => {
    const { id, alice, bob, conversations, handle, preferences, deliveries } = aConversation({ providerConfigured: true }, { provider: null });
    await preferences.save({ conversationId: id, participantId: bob.id, email: true, sms: true, push: false, phoneNumber: '+4915112345678', pushToken: null, updatedAt: null });
    const event = conversations.addMessage(id, alice.id, 'Hello');

    await expect(handle(event)).resolves.toMatchObject({ deliveries: { sent: 3, failed: 1 } });
    expect(await deliveries.get(deliveryIdOf(`${id}:${event.seq}`, bob.id, 'sms'))).toMatchObject({ state: 'failed', lastError: expect.stringContaining('NOTIFY_PROVIDER_URL') });
  });

  it('retries while the read model is behind the event, sending nothing and starting no reminder', async () => {
    const { id, alice, bob, conversations, handle, email, reminders } = aConversation();
    const event = conversations.addMessage(id, alice.id, 'Hello');
    conversations.trailAt(id, event.seq - 1);

    const error = await handle(event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect((error as Error).message).toBe(`Conversation ${id} is at version ${event.seq - 1}, behind event ${event.seq}; retrying`);
    expect(email.attempts).toEqual([]);
    expect(await reminders.get(id, bob.id)).toBeNull();

    conversations.catchUp(id);
    await expect(handle(event)).resolves.toMatchObject({ deliveries: { sent: 3 } });
  });
});

describe('HandleConversationEventHandler: reminder cycles', () => {
  it('starts a cycle for each recipient, the first stage due one offset after the message', async () => {
    const { id, alice, bob, carol, conversations, handle, reminders } = aConversation();
    const event = conversations.addMessage(id, alice.id, 'Hello');
    await handle(event);

    const at = new Date(event.occurredAt);
    for (const seat of [bob, carol]) {
      expect(await reminders.get(id, seat.id)).toMatchObject({ active: true, cycle: 1, unread: 1, nextStage: 0, since: at, dueAt: new Date(at.getTime() + 24 * HOUR), lastSeq: event.seq });
    }
    expect(await reminders.get(id, alice.id)).toBeNull();
  });

  it('starts no cycle when reminders are off', async () => {
    const { id, alice, bob, conversations, handle, reminders } = aConversation({ reminderOffsetsMs: [] });
    await handle(conversations.addMessage(id, alice.id, 'Hello'));
    // Reminders off: no reminder bookkeeping at all.
    expect(await reminders.get(id, bob.id)).toBeNull();
  });

  it('cancels the reader’s cycle on ConversationRead, and only theirs', async () => {
    const { id, alice, bob, carol, conversations, handle, reminders } = aConversation();
    await handle(conversations.addMessage(id, alice.id, 'Hello'));
    const read = conversations.markRead(id, bob.id);

    await expect(handle(read)).resolves.toEqual({ deliveries: { sent: 0, failed: 0, alreadyDone: 0 }, remindersCancelled: 1 });

    expect(await reminders.get(id, bob.id)).toMatchObject({ active: false, dueAt: null, lastSeq: read.seq });
    expect(await reminders.get(id, carol.id)).toMatchObject({ active: true });
    await expect(handle(read)).resolves.toMatchObject({ remindersCancelled: 0 });
  });

  it('counts the other unread messages in a running cycle, its first stage still due from the first one', async () => {
    const { id, alice, carol, conversations, handle, reminders } = aConversation();
    const first = conversations.addMessage(id, alice.id, 'One', new Date(Date.now() - 20_000));
    const second = conversations.addMessage(id, alice.id, 'Two', new Date(Date.now() - 10_000));
    await handle(first);
    await handle(second);
    await handle(second);

    expect(await reminders.get(id, carol.id)).toMatchObject({ active: true, cycle: 1, unread: 2, since: new Date(first.occurredAt), dueAt: new Date(Date.parse(first.occurredAt) + 24 * HOUR), lastSeq: second.seq });
  });

  it('ends the cycle of a recipient who replies, and starts the others’', async () => {
    const { id, alice, bob, carol, conversations, handle, reminders } = aConversation();
    const question = conversations.addMessage(id, alice.id, 'Tuesday?', new Date(Date.now() - 20_000));
    await handle(question);
    const reply = conversations.addMessage(id, bob.id, 'Tuesday works.', new Date(Date.now() - 10_000));

    // Alice and Carol, each in-app and by email.
    await expect(handle(reply)).resolves.toMatchObject({ deliveries: { sent: 4 } });

    expect(await reminders.get(id, bob.id)).toMatchObject({ active: false, dueAt: null, lastSeq: reply.seq, cycle: 1 });
    expect(await reminders.get(id, alice.id)).toMatchObject({ active: true, cycle: 1, unread: 1, since: new Date(reply.occurredAt), dueAt: new Date(Date.parse(reply.occurredAt) + 24 * HOUR) });
    expect(await reminders.get(id, carol.id)).toMatchObject({ active: true, cycle: 1, unread: 2, since: new Date(question.occurredAt) });
  });

  it('starts a new cycle for a recipient who read, at the next message', async () => {
    const { id, alice, bob, conversations, handle, reminders } = aConversation();
    await handle(conversations.addMessage(id, alice.id, 'One'));
    await handle(conversations.markRead(id, bob.id));
    const next = conversations.addMessage(id, alice.id, 'Two');
    await handle(next);

    expect(await reminders.get(id, bob.id)).toMatchObject({ active: true, cycle: 2, unread: 1, nextStage: 0, since: new Date(next.occurredAt) });
  });

  it('ignores the other conversation events', async () => {
    const { id, conversations, handle, email, reminders } = aConversation();
    const joined = conversations.addParticipant(id, { email: 'dave@example.org', displayName: 'Dave' });
    expect(joined.email).toBe('dave@example.org');
    const state = conversations.state(id);
    const event = { id: 'e-1', type: 'ParticipantAdded' as const, version: 1, occurredAt: new Date().toISOString(), conversationId: id, seq: state.version, data: { participant: joined, addedBy: null } };

    await expect(handle(event)).resolves.toEqual({ deliveries: { sent: 0, failed: 0, alreadyDone: 0 }, remindersCancelled: 0 });
    expect(email.attempts).toEqual([]);
    expect(reminders.all()).toEqual([]);
  });
});

describe('HandleConversationEventHandler: custom templates (NOTIFIER_TEMPLATES_DIR)', () => {
  let dir: string;
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'notifier-templates-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the conversation’s use-case template for a part it has, the default one or the built-in for the others', async () => {
    write('use-cases/recruiting/new-message.subject.hbs', '[Hiring] {{author.displayName}} on {{conversation.subject}}');
    write('default/new-message.subject.hbs', 'Default subject');
    write('default/new-message.text.hbs', 'Hi {{recipient.displayName}}, {{message.body}}');
    const { id, alice, conversations, handle, email } = aConversation({ templatesDir: dir });
    await handle(conversations.addMessage(id, alice.id, 'See you'));

    const [toBob] = email.sentTo('bob@acme.example');
    expect(toBob.subject).toBe('[Hiring] Alice Example on Senior engineer role');
    expect(toBob.text).toBe('Hi Bob Smith, See you');
    expect(toBob.html).toContain('<strong style="color:#222222">Alice Example</strong> wrote:');
  });

  it('retries the emails (and only them) while a custom template cannot be compiled', async () => {
    write('default/new-message.text.hbs', '{{#if message}}unclosed');
    const { id, alice, carol, conversations, handle, email, inbox } = aConversation({ templatesDir: dir });
    const event = conversations.addMessage(id, alice.id, 'Hello');

    const error = await handle(event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect((error as Error).message).toContain('new-message.text.hbs: cannot be compiled');
    expect(email.attempts).toEqual([]);
    expect(inbox.all()).toEqual([expect.objectContaining({ accountId: carol.accountId })]);
  });
});
