import { Logger } from '@nestjs/common';
import { InvalidUnsubscribeLinkError } from '../../../domain/notification.errors';
import { signUnsubscribeToken } from '../../../email';
import { notificationsTestBed } from '../../../testing';
import { UnsubscribeCommand } from './unsubscribe.command';

function aConversation() {
  const bed = notificationsTestBed();
  const { id } = bed.conversations.create({ subject: 'Lease renewal', creator: { accountId: 'acc-alice', email: 'alice@example.com', displayName: 'Alice' }, participants: [{ email: 'bob@acme.example', displayName: 'Bob' }] });
  const bob = bed.conversations.participant(id, 'bob@acme.example');
  const tokenFor = (participantId: string, conversationId = id, secret = bed.options.signingSecret) => signUnsubscribeToken({ conversationId, participantId, channel: 'email' }, secret);
  const unsubscribe = (token: string) => bed.unsubscribe.execute(new UnsubscribeCommand(token));
  return { ...bed, id, bob, tokenFor, unsubscribe };
}

beforeAll(() => Logger.overrideLogger(false));

describe('UnsubscribeHandler', () => {
  it('turns email off for the seat in the link, and says which conversation it was', async () => {
    const { id, bob, tokenFor, unsubscribe, preferences } = aConversation();
    await expect(unsubscribe(tokenFor(bob.id))).resolves.toEqual({ conversationId: id, subject: 'Lease renewal' });
    expect(await preferences.get(id, bob.id)).toMatchObject({ email: false, sms: false });
  });

  it('is idempotent: a second click saves nothing', async () => {
    const { bob, tokenFor, unsubscribe, preferences } = aConversation();
    await unsubscribe(tokenFor(bob.id));
    await unsubscribe(tokenFor(bob.id));
    expect(preferences.saves).toBe(1);
  });

  it('keeps the other preferences', async () => {
    const { id, bob, tokenFor, unsubscribe, preferences } = aConversation();
    await preferences.save({ conversationId: id, participantId: bob.id, email: true, sms: true, push: false, phoneNumber: '+4915112345678', pushToken: null, updatedAt: null });
    await unsubscribe(tokenFor(bob.id));
    expect(await preferences.get(id, bob.id)).toMatchObject({ email: false, sms: true, phoneNumber: '+4915112345678' });
  });

  it('refuses a forged, foreign or stale link the same way, changing nothing', async () => {
    const { id, bob, tokenFor, unsubscribe, preferences } = aConversation();
    for (const token of ['', 'v1.garbage', tokenFor(bob.id, id, 'another-secret-of-at-least-32-chars!!'), tokenFor(bob.id, 'no-such-conversation'), tokenFor('not-a-participant')]) {
      await expect(unsubscribe(token)).rejects.toBeInstanceOf(InvalidUnsubscribeLinkError);
    }
    expect(preferences.saves).toBe(0);
  });
});
