import { conversationsTestBed } from '../../../testing';
import { parseAliasAddress } from '../../../domain/alias/alias-address';
import { CreateConversationCommand } from './create-conversation.command';

describe('CreateConversationHandler', () => {
  const alice = { accountId: 'acc-alice', email: 'Alice@Example.com', displayName: 'Alice Martin' };

  it('makes the creator a participant and gives every participant their own alias', async () => {
    const { commands, close } = await conversationsTestBed({ 'bob@example.com': 'acc-bob' });
    const state = await commands.execute(
      new CreateConversationCommand(alice, '  Senior engineer role ', 'recruiting', [
        { email: 'bob@example.com', displayName: 'Bob Stone', role: 'employer' },
        { email: 'ALICE@example.com', displayName: 'Alice again' },
      ]),
    );
    expect(state.subject).toBe('Senior engineer role');
    expect(state.version).toBe(1);
    expect(state.participants.map((p) => [p.email, p.accountId, p.displayName])).toEqual([
      ['alice@example.com', 'acc-alice', 'Alice Martin'],
      ['bob@example.com', 'acc-bob', 'Bob Stone'],
    ]);
    const [aliceAlias, bobAlias] = state.participants.map((p) => p.alias);
    expect(aliceAlias).not.toBe(bobAlias);
    expect(aliceAlias).toMatch(/^alice-martin-[a-z2-9]{13}@relay\.example\.com$/);
    expect(parseAliasAddress(bobAlias, { aliasDomain: 'relay.example.com' }).kind).toBe('alias');
    await close();
  });

  it.each([
    ['an empty subject', { subject: ' ' }, 'subject must not be empty'],
    ['a subject of 301 characters', { subject: 'x'.repeat(301) }, 'subject has at most 300 characters'],
    ['an invalid participant email', { participants: [{ email: 'not-an-email', displayName: 'X' }] }, 'Expected a valid email address'],
    ['an empty display name', { participants: [{ email: 'x@example.com', displayName: '' }] }, 'displayName must not be empty'],
  ])('refuses %s', async (_name, change, message) => {
    const { commands, close } = await conversationsTestBed();
    const input = { subject: 'Hello', participants: [{ email: 'b@example.com', displayName: 'B' }], ...change };
    await expect(commands.execute(new CreateConversationCommand(alice, input.subject, null, input.participants))).rejects.toMatchObject({
      code: 'INVALID_CONVERSATION_INPUT',
      message,
    });
    await close();
  });
});
