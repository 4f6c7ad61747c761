import { NotificationPreferences, RecipientSeat, channelsFor, defaultPreferences, isPhoneNumber } from './preferences';

const emailOnly: RecipientSeat = { participantId: 'p-bob', accountId: null, email: 'bob@acme.example' };
const accountHolder: RecipientSeat = { participantId: 'p-alice', accountId: 'acc-alice', email: 'alice@example.com' };

function prefs(overrides: Partial<NotificationPreferences> = {}): NotificationPreferences {
  return { ...defaultPreferences('c-1', 'p-x'), ...overrides };
}

const everything = prefs({ sms: true, push: true, phoneNumber: '+4915112345678', pushToken: 'device-token-1' });

describe('defaultPreferences', () => {
  it('has email on, sms and push off, nothing stored yet', () => {
    expect(defaultPreferences('c-1', 'p-1')).toEqual({ conversationId: 'c-1', participantId: 'p-1', email: true, sms: false, push: false, phoneNumber: null, pushToken: null, updatedAt: null });
  });
});

describe('channelsFor', () => {
  const message = { providerConfigured: true, purpose: 'message' as const };
  const reminder = { providerConfigured: true, purpose: 'reminder' as const };

  it('reaches an email-only participant by email only, at their address', () => {
    expect(channelsFor(emailOnly, prefs(), message)).toEqual([{ channel: 'email', address: 'bob@acme.example' }]);
  });

  it('gives an account holder in-app (to the account) and email', () => {
    expect(channelsFor(accountHolder, prefs(), message)).toEqual([
      { channel: 'in_app', address: 'acc-alice' },
      { channel: 'email', address: 'alice@example.com' },
    ]);
  });

  it('adds sms and push when a provider is configured, the participant opted in and gave a number / token', () => {
    expect(channelsFor(emailOnly, everything, message)).toEqual([
      { channel: 'email', address: 'bob@acme.example' },
      { channel: 'sms', address: '+4915112345678' },
      { channel: 'push', address: 'device-token-1' },
    ]);
  });

  it('leaves sms and push out without a provider, whatever the preferences', () => {
    expect(channelsFor(emailOnly, everything, { providerConfigured: false, purpose: 'message' }).map((t) => t.channel)).toEqual(['email']);
  });

  it('leaves sms out without the opt-in or without a number, push without the opt-in or without a token', () => {
    expect(channelsFor(emailOnly, { ...everything, sms: false }, message).map((t) => t.channel)).toEqual(['email', 'push']);
    expect(channelsFor(emailOnly, { ...everything, phoneNumber: null }, message).map((t) => t.channel)).toEqual(['email', 'push']);
    expect(channelsFor(emailOnly, { ...everything, push: false }, message).map((t) => t.channel)).toEqual(['email', 'sms']);
    expect(channelsFor(emailOnly, { ...everything, pushToken: null }, message).map((t) => t.channel)).toEqual(['email', 'sms']);
  });

  it('sends reminders on every channel but in-app (the inbox already shows what is unread)', () => {
    expect(channelsFor(accountHolder, everything, reminder).map((t) => t.channel)).toEqual(['email', 'sms', 'push']);
    expect(channelsFor(accountHolder, prefs(), reminder)).toEqual([{ channel: 'email', address: 'alice@example.com' }]);
  });

  it('drops email when it is turned off: an email-only participant then gets nothing, an account holder in-app only', () => {
    expect(channelsFor(emailOnly, prefs({ email: false }), message)).toEqual([]);
    expect(channelsFor(accountHolder, prefs({ email: false }), message)).toEqual([{ channel: 'in_app', address: 'acc-alice' }]);
    expect(channelsFor(accountHolder, prefs({ email: false }), reminder)).toEqual([]);
  });
});

describe('isPhoneNumber', () => {
  it.each(['+4915112345678', '+33612345678', '+1234567', '+123456789012345'])('accepts E.164 %s', (value) => {
    expect(isPhoneNumber(value)).toBe(true);
  });

  it.each(['4915112345678', '+0151123456', '+49 151 1234567', '+123456', '+1234567890123456', '+49151abc5678', ''])('refuses %j', (value) => {
    expect(isPhoneNumber(value)).toBe(false);
  });
});
