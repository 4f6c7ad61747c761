import { conversationsTestBed } from '../../../testing';
import { ResolveAliasQuery } from '../../queries/resolve-alias/resolve-alias.query';
import { CreateConversationCommand } from '../create-conversation/create-conversation.command';
import { RevokeAliasCommand } from './revoke-alias.command';

describe('RevokeAliasHandler', () => {
  const alice = { accountId: 'acc-alice', email: 'alice@example.com', displayName: 'Alice' };
  const bob = { accountId: null, email: 'bob@example.com' };

  async function setup() {
    const bed = await conversationsTestBed();
    const c = await bed.commands.execute(new CreateConversationCommand(alice, 'Role', null, [{ email: bob.email, displayName: 'Bob' }]));
    return { ...bed, aliceAlias: c.participants[0].alias, bobAlias: c.participants[1].alias };
  }

  it('lets the owner revoke their alias, which then resolves as revoked', async () => {
    const { commands, queries, aliceAlias, close } = await setup();
    await expect(commands.execute(new RevokeAliasCommand(aliceAlias.toUpperCase(), alice, false))).resolves.toBe(true);
    expect(await queries.execute(new ResolveAliasQuery(aliceAlias))).toMatchObject({ kind: 'conversation', revoked: true });
    await expect(commands.execute(new RevokeAliasCommand(aliceAlias, alice, false))).resolves.toBe(true);
    await close();
  });

  it("refuses another participant's alias unless admin, with not-found", async () => {
    const { commands, bobAlias, close } = await setup();
    await expect(commands.execute(new RevokeAliasCommand(bobAlias, alice, false))).rejects.toMatchObject({ code: 'ALIAS_NOT_FOUND' });
    await expect(commands.execute(new RevokeAliasCommand(bobAlias, { accountId: 'admin', email: 'ops@example.com' }, true))).resolves.toBe(true);
    await close();
  });

  it('refuses unknown and malformed addresses with not-found', async () => {
    const { commands, close } = await setup();
    for (const address of ['nobody-abcdefghijkmn@relay.example.com', 'garbage', 'x@gmail.com']) {
      await expect(commands.execute(new RevokeAliasCommand(address, alice, true))).rejects.toMatchObject({ code: 'ALIAS_NOT_FOUND' });
    }
    await close();
  });
});
