import { ConversationNotFoundError, SYSTEM, asActor } from '@libs/conversations';
import { InvalidNotificationPreferencesError } from '../../../domain/notification.errors';
import { notificationsTestBed } from '../../../testing';
import { PreferenceChanges, SetNotificationPreferencesCommand } from './set-notification-preferences.command';

const ALICE = { accountId: 'acc-alice', email: 'alice@example.com' };
const BOB = { accountId: null, email: 'bob@acme.example' };

function aConversation() {
  const bed = notificationsTestBed();
  const { id } = bed.conversations.create({
    subject: 'Lease renewal',
    creator: { ...ALICE, displayName: 'Alice' },
    participants: [{ email: BOB.email, displayName: 'Bob' }],
  });
  const alice = bed.conversations.participant(id, ALICE.email);
  const bob = bed.conversations.participant(id, BOB.email);
  const set = (actor: { accountId: string | null; email: string }, changes: PreferenceChanges) => bed.setPreferences.execute(new SetNotificationPreferencesCommand(id, asActor(actor), changes));
  return { ...bed, id, alice, bob, set };
}

describe('SetNotificationPreferencesHandler', () => {
  it('normalises a phone number to E.164 and turns SMS on with it', async () => {
    const { id, bob, set, preferences } = aConversation();
    const saved = await set(BOB, { sms: true, phoneNumber: '+49 151 1234567' });

    expect(saved).toEqual({ conversationId: id, participantId: bob.id, email: true, sms: true, push: false, phoneNumber: '+491511234567', pushToken: null, updatedAt: expect.any(Date) });
    expect(await preferences.get(id, bob.id)).toMatchObject({ sms: true, phoneNumber: '+491511234567' });
  });

  it('accepts the usual separators: parentheses, dashes, spaces', async () => {
    const { set } = aConversation();
    await expect(set(BOB, { phoneNumber: '+1 (415) 555-0134' })).resolves.toMatchObject({ phoneNumber: '+14155550134' });
  });

  it.each(['0151 1234567', '+49 151 abc', '+0 151 1234567', '+12345'])('refuses %j, saving nothing', async (phoneNumber) => {
    const { set, preferences } = aConversation();
    await expect(set(BOB, { sms: true, phoneNumber })).rejects.toThrow(new InvalidNotificationPreferencesError('phoneNumber must be in international E.164 form, for example +4915112345678'));
    expect(preferences.saves).toBe(0);
  });

  it('refuses SMS without a phone number', async () => {
    const { set, preferences } = aConversation();
    await expect(set(BOB, { sms: true })).rejects.toThrow('SMS needs a phoneNumber: set one in the same call');
    expect(preferences.saves).toBe(0);
  });

  it('turns SMS off when the phone number is removed', async () => {
    const { id, bob, set, preferences } = aConversation();
    await set(BOB, { sms: true, phoneNumber: '+4915112345678' });

    await expect(set(BOB, { phoneNumber: null })).resolves.toMatchObject({ sms: false, phoneNumber: null });
    expect(await preferences.get(id, bob.id)).toMatchObject({ sms: false, phoneNumber: null });
  });

  it('refuses turning SMS on and removing the number in one call', async () => {
    const { set } = aConversation();
    await expect(set(BOB, { sms: true, phoneNumber: null })).rejects.toBeInstanceOf(InvalidNotificationPreferencesError);
  });

  it('keeps a stored number when SMS is turned on later without one', async () => {
    const { set } = aConversation();
    await set(BOB, { phoneNumber: '+4915112345678' });
    await expect(set(BOB, { sms: true })).resolves.toMatchObject({ sms: true, phoneNumber: '+4915112345678' });
  });

  it('needs a device token for push, refuses one with spaces, and turns push off without one', async () => {
    const { set } = aConversation();
    await expect(set(BOB, { push: true })).rejects.toThrow('Push needs a pushToken: set one in the same call');
    await expect(set(BOB, { push: true, pushToken: 'abc def' })).rejects.toThrow('pushToken must be a device token');
    await expect(set(BOB, { push: true, pushToken: '  tok-123  ' })).resolves.toMatchObject({ push: true, pushToken: 'tok-123' });
    await expect(set(BOB, { pushToken: '' })).resolves.toMatchObject({ push: false, pushToken: null });
  });

  it('changes only what it is given', async () => {
    const { id, bob, set, preferences } = aConversation();
    await set(BOB, { sms: true, phoneNumber: '+4915112345678' });
    await set(BOB, { email: false });
    await expect(preferences.get(id, bob.id)).resolves.toMatchObject({ email: false, sms: true, phoneNumber: '+4915112345678', push: false });
  });

  it('changes the requester’s own seat only, found by account or else by address', async () => {
    const { id, alice, bob, set, preferences } = aConversation();
    // Alice signed in with another address: her account finds her seat.
    await set({ accountId: 'acc-alice', email: 'alice.private@example.net' }, { email: false });
    // Bob has no account: his address finds his, whatever its case.
    await set({ accountId: null, email: 'Bob@Acme.Example' }, { phoneNumber: '+33612345678' });

    expect(await preferences.get(id, alice.id)).toMatchObject({ email: false, phoneNumber: null });
    expect(await preferences.get(id, bob.id)).toMatchObject({ email: true, phoneNumber: '+33612345678' });
  });

  it('answers not found to a non-participant and for an unknown conversation', async () => {
    const { set, setPreferences, preferences } = aConversation();
    await expect(set({ accountId: 'acc-mallory', email: 'mallory@example.com' }, { email: false })).rejects.toBeInstanceOf(ConversationNotFoundError);
    await expect(setPreferences.execute(new SetNotificationPreferencesCommand('no-such-conversation', asActor(ALICE), { email: false }))).rejects.toBeInstanceOf(ConversationNotFoundError);
    expect(preferences.saves).toBe(0);
  });

  it('refuses a trusted app: preferences belong to a participant', async () => {
    const { id, setPreferences } = aConversation();
    await expect(setPreferences.execute(new SetNotificationPreferencesCommand(id, SYSTEM, { email: false }))).rejects.toBeInstanceOf(InvalidNotificationPreferencesError);
  });
});
