import { ConversationNotFoundError, SYSTEM, asActor } from '@libs/conversations';
import { InvalidNotificationPreferencesError } from '../../../domain/notification.errors';
import { notificationsTestBed } from '../../../testing';
import { GetNotificationPreferencesQuery } from './get-notification-preferences.query';

function aConversation() {
  const bed = notificationsTestBed();
  const { id } = bed.conversations.create({ subject: 'Lease renewal', creator: { accountId: 'acc-alice', email: 'alice@example.com', displayName: 'Alice' }, participants: [{ email: 'bob@acme.example', displayName: 'Bob' }] });
  const bob = bed.conversations.participant(id, 'bob@acme.example');
  const get = (requester: Parameters<typeof asActor>[0] | typeof SYSTEM) =>
    bed.getPreferences.execute(new GetNotificationPreferencesQuery(id, 'kind' in requester ? requester : asActor(requester)));
  return { ...bed, id, bob, get };
}

describe('GetNotificationPreferencesHandler', () => {
  it('gives the defaults until the participant changes anything', async () => {
    const { id, bob, get } = aConversation();
    await expect(get({ accountId: null, email: 'bob@acme.example' })).resolves.toEqual({ conversationId: id, participantId: bob.id, email: true, sms: false, push: false, phoneNumber: null, pushToken: null, updatedAt: null });
  });

  it('gives the requester’s own stored preferences', async () => {
    const { id, bob, get, preferences } = aConversation();
    await preferences.save({ conversationId: id, participantId: bob.id, email: false, sms: false, push: true, phoneNumber: null, pushToken: 'tok-1', updatedAt: new Date('2030-01-01T00:00:00Z') });
    await expect(get({ accountId: null, email: 'bob@acme.example' })).resolves.toMatchObject({ email: false, push: true, pushToken: 'tok-1' });
    await expect(get({ accountId: 'acc-alice', email: 'alice@example.com' })).resolves.toMatchObject({ email: true, push: false, pushToken: null });
  });

  it('answers not found to a non-participant, and refuses a trusted app', async () => {
    const { get } = aConversation();
    await expect(get({ accountId: null, email: 'mallory@example.com' })).rejects.toBeInstanceOf(ConversationNotFoundError);
    await expect(get(SYSTEM)).rejects.toBeInstanceOf(InvalidNotificationPreferencesError);
  });
});
