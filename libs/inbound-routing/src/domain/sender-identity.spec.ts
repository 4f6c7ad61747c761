import { ParticipantState } from '@libs/conversations';
import { identifySender } from './sender-identity';

const seat: ParticipantState = {
  id: 'p1',
  accountId: 'acc-jane',
  email: 'jane@example.com',
  displayName: 'Jane',
  role: null,
  alias: 'jane-abcdefghijkmn@relay.example.com',
  joinedAt: '2026-01-01T00:00:00Z',
  aliasRevoked: false,
  lastReadSeq: 0,
};

describe('identifySender', () => {
  it('accepts the seat owner by address, whatever the case', () => {
    expect(identifySender('Jane@Example.com', seat, null)).toEqual({ ok: true, via: 'address' });
  });

  it('accepts the owner writing from a new address their account knows (case 7)', () => {
    expect(identifySender('jane.doe@newjob.com', seat, { id: 'acc-jane', email: 'jane.doe@newjob.com', previousEmails: ['jane@example.com'] })).toEqual({ ok: true, via: 'account' });
  });

  it('accepts an old address that the account lists as previous', () => {
    const emailOnlySeat = { ...seat, accountId: null, email: 'jane@newjob.com' };
    expect(identifySender('jane@oldjob.com', emailOnlySeat, { id: 'acc-x', email: 'jane@newjob.com', previousEmails: ['jane@oldjob.com'] })).toEqual({ ok: true, via: 'account' });
  });

  it('refuses a known account that is not the owner as not a participant', () => {
    expect(identifySender('bob@example.com', seat, { id: 'acc-bob', email: 'bob@example.com', previousEmails: [] })).toEqual({ ok: false, reason: 'not-a-participant' });
  });

  it('refuses an address nobody knows, and a missing sender, as unknown', () => {
    expect(identifySender('stranger@example.org', seat, null)).toEqual({ ok: false, reason: 'unknown-sender' });
    expect(identifySender(null, seat, null)).toEqual({ ok: false, reason: 'unknown-sender' });
  });
});
