import { compareNotifications } from './parity';

describe('compareNotifications', () => {
  it('matches the same recipients and channels, whatever the order and the case', () => {
    expect(
      compareNotifications(
        [
          { participantId: 'p1', recipient: 'Bob@Example.com', channel: 'email' },
          { participantId: 'p2', recipient: 'carol@example.com', channel: 'email' },
        ],
        [
          { recipient: 'carol@example.com', channel: 'email' },
          { recipient: 'bob@example.com', channel: 'email' },
        ],
      ),
    ).toEqual({ match: true, missing: [], extra: [] });
  });

  it('names what each side sent that the other did not', () => {
    expect(
      compareNotifications(
        [{ participantId: 'p1', recipient: 'bob@example.com', channel: 'email' }, { participantId: 'p1', recipient: '+15555550100', channel: 'sms' }],
        [{ recipient: 'bob@example.com', channel: 'email' }, { recipient: 'dave@example.com', channel: 'email' }],
      ),
    ).toEqual({ match: false, missing: ['email:dave@example.com'], extra: ['sms:+15555550100'] });
  });

  it('treats nothing sent on both sides as parity', () => {
    expect(compareNotifications([], [])).toEqual({ match: true, missing: [], extra: [] });
  });
});
