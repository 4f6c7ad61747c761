import { conversationsTestBed } from '../../../testing';
import { CreateConversationCommand } from '../../commands/create-conversation/create-conversation.command';
import { InMemoryConversationStore } from '../../../testing/in-memory-conversation-store';
import { ResolveAliasHandler } from './resolve-alias.handler';
import { ResolveAliasQuery } from './resolve-alias.query';

describe('ResolveAliasHandler', () => {
  const alice = { accountId: 'acc-alice', email: 'alice@example.com', displayName: 'Alice' };

  it('routes an alias to its conversation and seat, whatever the case, tag or display name', async () => {
    const { commands, queries, close } = await conversationsTestBed();
    const c = await commands.execute(new CreateConversationCommand(alice, 'Role', null, []));
    const seat = c.participants[0];
    const expected = { kind: 'conversation', address: seat.alias, conversationId: c.id, participantId: seat.id, revoked: false };
    expect(await queries.execute(new ResolveAliasQuery(`"Alice" <${seat.alias.replace('@', '+reply@').toUpperCase()}>`))).toEqual(expected);
    await close();
  });

  it('tells unknown, foreign, legacy and invalid recipients apart', async () => {
    const { queries, close } = await conversationsTestBed();
    expect(await queries.execute(new ResolveAliasQuery('someone-abcdefghijkmn@relay.example.com'))).toMatchObject({ kind: 'unknown' });
    expect(await queries.execute(new ResolveAliasQuery('someone@gmail.com'))).toMatchObject({ kind: 'foreign' });
    expect(await queries.execute(new ResolveAliasQuery('0b7e9f1a-3c2d-4e5f-8a9b-0c1d2e3f4a5b@legacy.example.com'))).toMatchObject({
      kind: 'legacy',
      legacyConversationId: null,
    });
    expect(await queries.execute(new ResolveAliasQuery('a@@b'))).toMatchObject({ kind: 'invalid' });
    await close();
  });

  it('asks the legacy alias resolver, when bound, for the legacy conversation and the conversation it was migrated to', async () => {
    const asked: string[] = [];
    const resolver = {
      resolve: async (address: string) => {
        asked.push(address);
        return address.startsWith('0b7e') ? { legacyConversationId: 'L-1', conversationId: 'c-1' } : { legacyConversationId: 'L-2' };
      },
    };
    const handler = new ResolveAliasHandler(new InMemoryConversationStore(), { aliasDomain: 'relay.example.com', legacyAliasDomains: ['legacy.example.com'] } as never, resolver);
    expect(await handler.execute(new ResolveAliasQuery('<0B7E9F1A-3C2D-4E5F-8A9B-0C1D2E3F4A5B@Legacy.example.com>'))).toEqual({
      kind: 'legacy',
      address: '0b7e9f1a-3c2d-4e5f-8a9b-0c1d2e3f4a5b@legacy.example.com',
      legacyId: '0b7e9f1a-3c2d-4e5f-8a9b-0c1d2e3f4a5b',
      legacyConversationId: 'L-1',
      conversationId: 'c-1',
    });
    expect(await handler.execute(new ResolveAliasQuery('1b7e9f1a-3c2d-4e5f-8a9b-0c1d2e3f4a5b@legacy.example.com'))).toMatchObject({ legacyConversationId: 'L-2', conversationId: null });
    expect(asked).toEqual(['0b7e9f1a-3c2d-4e5f-8a9b-0c1d2e3f4a5b@legacy.example.com', '1b7e9f1a-3c2d-4e5f-8a9b-0c1d2e3f4a5b@legacy.example.com']);
  });
});
