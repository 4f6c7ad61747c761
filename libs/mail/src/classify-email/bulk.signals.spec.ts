import { aParsedEmail } from '../testing';
import { detectBulk } from './bulk.signals';

describe('detectBulk', () => {
  it.each(['bulk', 'junk', 'list', 'Bulk'])('recognises Precedence: %s', (value) => {
    expect(detectBulk(aParsedEmail({ headers: { Precedence: value } }))).toBe(`Precedence: ${value.toLowerCase()}`);
  });

  it('recognises a mailing-list post: List-Id and List-Unsubscribe on mail that answers nothing', () => {
    const email = aParsedEmail({ inReplyTo: undefined, references: [], headers: { 'List-Id': '<jobs.lists.example>', 'List-Unsubscribe': '<https://lists.example/u>' } });
    expect(detectBulk(email)).toBe('mailing-list post (List-Id and List-Unsubscribe)');
  });

  it('lets a reply through even when its sender adds list headers (ATSs, transactional senders)', () => {
    expect(detectBulk(aParsedEmail({ headers: { 'List-Id': '<jobs.lists.example>', 'List-Unsubscribe': '<https://lists.example/u>' } }))).toBeNull();
  });

  it('lets List-Unsubscribe alone through', () => {
    expect(detectBulk(aParsedEmail({ inReplyTo: undefined, references: [], headers: { 'List-Unsubscribe': '<https://ats.example/u>' } }))).toBeNull();
  });

  it('lets Precedence: first-class through', () => {
    expect(detectBulk(aParsedEmail({ headers: { Precedence: 'first-class' } }))).toBeNull();
  });
});
