import { conversationsTestBed } from '../../../testing';
import { AddMessageCommand } from '../add-message/add-message.command';
import { CreateConversationCommand } from '../create-conversation/create-conversation.command';
import { MarkConversationReadCommand } from './mark-conversation-read.command';

describe('MarkConversationReadHandler', () => {
  const alice = { accountId: 'acc-alice', email: 'alice@example.com', displayName: 'Alice' };
  const bob = { accountId: null, email: 'bob@example.com' };

  it('moves the reader to the last message, once', async () => {
    const { commands, store, close } = await conversationsTestBed();
    const c = await commands.execute(new CreateConversationCommand(alice, 'Role', null, [{ email: bob.email, displayName: 'Bob' }]));
    await commands.execute(new AddMessageCommand(c.id, { kind: 'actor', actor: alice }, { body: 'hi', source: 'CHAT', idempotencyKey: '1' }));
    const read = await commands.execute(new MarkConversationReadCommand(c.id, bob));
    expect(read.participants.find((p) => p.email === bob.email)?.lastReadSeq).toBe(2);
    const again = await commands.execute(new MarkConversationReadCommand(c.id, bob));
    expect(again.version).toBe(read.version);
    expect((store.log.get(c.id) ?? []).filter((e) => e.type === 'ConversationRead')).toHaveLength(1);
    await close();
  });

  it('treats writing a message as having read up to it', async () => {
    const { commands, close } = await conversationsTestBed();
    const c = await commands.execute(new CreateConversationCommand(alice, 'Role', null, [{ email: bob.email, displayName: 'Bob' }]));
    await commands.execute(new AddMessageCommand(c.id, { kind: 'actor', actor: bob }, { body: 'hi', source: 'CHAT', idempotencyKey: '1' }));
    const state = await commands.execute(new MarkConversationReadCommand(c.id, bob));
    expect(state.version).toBe(2);
    expect(state.participants.find((p) => p.email === bob.email)?.lastReadSeq).toBe(2);
    await close();
  });
});
