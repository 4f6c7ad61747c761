import { conversationsTestBed } from '../../../testing';
import { SYSTEM, asActor } from '../../access';
import { AddMessageCommand } from '../../commands/add-message/add-message.command';
import { CreateConversationCommand } from '../../commands/create-conversation/create-conversation.command';
import { MessageView, Page } from '../../views';
import { ListMessagesQuery } from './list-messages.query';

describe('ListMessagesHandler', () => {
  const alice = { accountId: 'acc-alice', email: 'alice@example.com', displayName: 'Alice' };

  it('pages through every message once, oldest first', async () => {
    const { commands, queries, close } = await conversationsTestBed();
    const c = await commands.execute(new CreateConversationCommand(alice, 'Role', null, []));
    for (let i = 0; i < 45; i++) {
      await commands.execute(new AddMessageCommand(c.id, { kind: 'actor', actor: alice }, { body: `m${i}`, source: 'CHAT', idempotencyKey: `${i}` }));
    }
    const bodies: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page<MessageView> = await queries.execute(new ListMessagesQuery(c.id, asActor(alice), 20, after));
      bodies.push(...page.items.map((m) => m.body));
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(bodies).toEqual(Array.from({ length: 45 }, (_, i) => `m${i}`));
    await close();
  });

  it('refuses bad page sizes and forged cursors, and hides the conversation from outsiders', async () => {
    const { commands, queries, close } = await conversationsTestBed();
    const c = await commands.execute(new CreateConversationCommand(alice, 'Role', null, []));
    await expect(queries.execute(new ListMessagesQuery(c.id, SYSTEM, 0))).rejects.toMatchObject({ code: 'INVALID_CONVERSATION_INPUT' });
    await expect(queries.execute(new ListMessagesQuery(c.id, SYSTEM, 101))).rejects.toMatchObject({ code: 'INVALID_CONVERSATION_INPUT' });
    await expect(queries.execute(new ListMessagesQuery(c.id, SYSTEM, 10, 'not-a-cursor'))).rejects.toMatchObject({ message: 'Invalid pagination cursor' });
    await expect(queries.execute(new ListMessagesQuery(c.id, asActor({ accountId: 'x', email: 'x@example.com' })))).rejects.toMatchObject({
      code: 'CONVERSATION_NOT_FOUND',
    });
    await close();
  });
});
