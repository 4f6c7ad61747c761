import { conversationsTestBed } from '../../../testing';
import { CreateConversationCommand } from '../create-conversation/create-conversation.command';
import { AddMessageCommand } from './add-message.command';

const alice = { accountId: 'acc-alice', email: 'alice@example.com', displayName: 'Alice' };

async function withConversation() {
  const bed = await conversationsTestBed();
  const conversation = await bed.commands.execute(new CreateConversationCommand(alice, 'Role', null, [{ email: 'bob@example.com', displayName: 'Bob' }]));
  return { ...bed, conversation };
}

describe('AddMessageHandler', () => {
  it('adds a chat message from a participant', async () => {
    const { commands, conversation, store, close } = await withConversation();
    const { message, duplicate } = await commands.execute(
      new AddMessageCommand(conversation.id, { kind: 'actor', actor: alice }, { body: 'Hello Bob', source: 'CHAT', idempotencyKey: 'chat:c1' }),
    );
    expect(duplicate).toBe(false);
    expect(message).toMatchObject({ conversationId: conversation.id, seq: 2, body: 'Hello Bob', source: 'CHAT', authorParticipantId: conversation.participants[0].id });
    expect((await store.load(conversation.id))?.lastMessageSeq).toBe(2);
    await close();
  });

  it('returns the original message for a repeated idempotency key, storing one', async () => {
    const { commands, conversation, store, close } = await withConversation();
    const send = () => commands.execute(new AddMessageCommand(conversation.id, { kind: 'actor', actor: alice }, { body: 'once', source: 'CHAT', idempotencyKey: 'chat:same' }));
    const results = await Promise.all(Array.from({ length: 50 }, send));
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect((await store.listMessages(conversation.id, 0, 100)).length).toBe(1);
    await close();
  });

  it('keeps every concurrent distinct message, in one gapless order', async () => {
    const { commands, conversation, store, close } = await withConversation();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        commands.execute(new AddMessageCommand(conversation.id, { kind: 'actor', actor: alice }, { body: `m${i}`, source: 'CHAT', idempotencyKey: `chat:${i}` })),
      ),
    );
    const seqs = (store.log.get(conversation.id) ?? []).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    await close();
  });

  it('adds an email message as the seat the relay identified', async () => {
    const { commands, conversation, close } = await withConversation();
    const bob = conversation.participants[1];
    const { message } = await commands.execute(
      new AddMessageCommand(conversation.id, { kind: 'participant', participantId: bob.id }, { body: 'Reply by mail', source: 'EMAIL', idempotencyKey: 'email:<a@b>', emailMessageId: '<a@b>' }),
    );
    expect(message).toMatchObject({ authorParticipantId: bob.id, source: 'EMAIL', emailMessageId: '<a@b>' });
    await close();
  });

  it('answers not-found to a non-participant, revealing nothing', async () => {
    const { commands, conversation, close } = await withConversation();
    const mallory = { accountId: 'acc-mallory', email: 'mallory@example.com' };
    await expect(
      commands.execute(new AddMessageCommand(conversation.id, { kind: 'actor', actor: mallory }, { body: 'hi', source: 'CHAT', idempotencyKey: 'x' })),
    ).rejects.toMatchObject({ code: 'CONVERSATION_NOT_FOUND', message: 'Conversation not found' });
    await expect(
      commands.execute(new AddMessageCommand('no-such-id', { kind: 'actor', actor: alice }, { body: 'hi', source: 'CHAT', idempotencyKey: 'x' })),
    ).rejects.toMatchObject({ code: 'CONVERSATION_NOT_FOUND', message: 'Conversation not found' });
    await close();
  });

  it('refuses an empty body and strips NUL characters', async () => {
    const { commands, conversation, close } = await withConversation();
    const actor = { kind: 'actor' as const, actor: alice };
    await expect(commands.execute(new AddMessageCommand(conversation.id, actor, { body: '  ', source: 'CHAT', idempotencyKey: 'e' }))).rejects.toMatchObject({
      code: 'INVALID_CONVERSATION_INPUT',
    });
    const { message } = await commands.execute(new AddMessageCommand(conversation.id, actor, { body: 'a\u0000b', source: 'CHAT', idempotencyKey: 'n' }));
    expect(message.body).toBe('ab');
    await close();
  });
});
