import { AcceptedNotification, SentEmail, StoredMessage, verify } from './verifier';

const sent = (token: string, notify: string[], ackAt?: number): SentEmail => ({ token, conversationId: 'c', notify, scheduledAt: 0, sentAt: 0, ackAt, status: ackAt === undefined ? 0 : 202, error: ackAt === undefined ? 'timeout' : undefined });
const stored = (token: string, storedAt: number, publishedAt?: number): StoredMessage => ({ token, conversationId: 'c', storedAt, publishedAt });
const note = (token: string, recipient: string, acceptedAt: number, messageId = `n.${token}.${recipient}`): AcceptedNotification => ({ token, recipient, acceptedAt, messageId });

describe('verify', () => {
  it('counts nothing lost or duplicated when every email is stored once and every recipient notified once', () => {
    const v = verify([sent('t-1-1', ['a', 'b'], 100)], [stored('t-1-1', 150, 170)], [note('t-1-1', 'a', 300), note('t-1-1', 'b', 400)]);
    expect(v).toMatchObject({ acked: 1, lost: 0, duplicates: 0, notStored: 0, missingNotifications: 0, expectedNotifications: 2 });
    expect(v.latency).toEqual({ relay: [50], publish: [20], notify: [150, 250], e2e: [200, 300] });
  });

  it('counts an acknowledged email that was never stored, or not notified to everyone, as lost', () => {
    const v = verify(
      [sent('t-1-1', ['a'], 100), sent('t-1-2', ['a', 'b'], 100), sent('t-1-3', ['a'], 100)],
      [stored('t-1-2', 120), stored('t-1-3', 130)],
      [note('t-1-2', 'a', 300), note('t-1-3', 'a', 300)],
    );
    expect(v).toMatchObject({ lost: 2, notStored: 1, notNotified: 2, missingNotifications: 2 });
    expect(v.lostExamples).toEqual(['t-1-1', 't-1-2']);
  });

  it('counts a second stored copy and a second accepted notification as duplicates', () => {
    const v = verify(
      [sent('t-1-1', ['a', 'b'], 100)],
      [stored('t-1-1', 150), stored('t-1-1', 160)],
      [note('t-1-1', 'a', 300), note('t-1-1', 'a', 320), note('t-1-1', 'b', 310, 'n.x'), note('t-1-1', 'b', 330, 'n.x')],
    );
    expect(v).toMatchObject({ duplicateStored: 1, duplicateNotifications: 2, duplicates: 3, lost: 0 });
    expect(v.latency.e2e).toEqual([200, 210]);
  });

  it('does not count failed posts as lost, but notes those stored anyway, and notifications nobody expected', () => {
    const v = verify([sent('t-1-1', ['a']), sent('t-1-2', ['a'], 100)], [stored('t-1-1', 150), stored('t-1-2', 150)], [note('t-1-2', 'a', 200), note('t-1-2', 'z', 200), note('t-9-9', 'a', 200)]);
    expect(v).toMatchObject({ errors: 1, acked: 1, lost: 0, storedWithoutAck: 1, unexpectedNotifications: 2 });
  });
});
