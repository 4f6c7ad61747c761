import { ErrorCategory } from '@libs/contracts';
import { MAX_PREVIOUS_EMAILS, createAccountProfile } from './account';
import { IdentityErrorCode } from './identity-error';

describe('createAccountProfile', () => {
  it('normalises the address and the name', () => {
    expect(createAccountProfile({ email: ' Ann@Example.com ', displayName: ' Ann ' })).toEqual({ email: 'ann@example.com', displayName: 'Ann' });
  });

  it('normalises previous addresses, removes duplicates and the current address', () => {
    const profile = createAccountProfile({
      email: 'ann@example.com',
      displayName: 'Ann',
      previousEmails: ['Old@Example.com', 'old@example.com ', 'ANN@example.com', 'older@example.com'],
    });
    expect(profile.previousEmails).toEqual(['old@example.com', 'older@example.com']);
  });

  it('keeps "not given" apart from "empty", so an upsert can clear the list or leave it', () => {
    expect(createAccountProfile({ email: 'a@example.com', displayName: 'A' })).not.toHaveProperty('previousEmails');
    expect(createAccountProfile({ email: 'a@example.com', displayName: 'A', previousEmails: [] }).previousEmails).toEqual([]);
  });

  it('names the bad previous address', () => {
    expect(() => createAccountProfile({ email: 'a@example.com', displayName: 'A', previousEmails: ['ok@example.com', 'bad'] })).toThrow(
      /^previousEmails\[1\] is not a valid email address/,
    );
  });

  it(`refuses more than ${MAX_PREVIOUS_EMAILS} previous addresses`, () => {
    const previousEmails = Array.from({ length: MAX_PREVIOUS_EMAILS + 1 }, (_, i) => `p${i}@example.com`);
    expect(() => createAccountProfile({ email: 'a@example.com', displayName: 'A', previousEmails })).toThrow(
      expect.objectContaining({ code: IdentityErrorCode.TooManyPreviousEmails, category: ErrorCategory.Invalid }),
    );
  });
});
