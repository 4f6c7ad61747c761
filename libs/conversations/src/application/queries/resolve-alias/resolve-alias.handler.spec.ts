import { conversationsTestBed } from '../../../testing';
import { CreateConversationCommand } from '../../commands/create-conversation/create-conversation.command';
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
});
