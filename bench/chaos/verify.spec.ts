import { extraCopies, verifyChaos, type FaultRecord, type ReceivedNotification, type SentEmail, type StoredMessage } from './verify';

const participants = new Map([
  ['c1', ['alice@x.test', 'bob@x.test', 'carol@x.test']],
  ['c2', ['alice@x.test', 'dan@x.test']],
]);

const email = (token: string, conversationId: string, from: string, extra: Partial<SentEmail> = {}): SentEmail => ({ token, conversationId, from, attempts: 1, ackedAt: 1_000, ...extra });
const stored = (token: string, conversationId: string, author: string, at = 2_000): StoredMessage => ({ token, conversationId, author, at });
const note = (token: string, to: string, at = 3_000): ReceivedNotification => ({ token, to, at });
const kill = (startedAt: number, recoveredAt: number): FaultRecord => ({ kind: 'kill-notifier', startedAt, recoveredAt, downtimeMs: 1_000 });

/** t1 by Bob in c1 (Alice and Carol notified), t2 by Dan in c2 (Alice notified). */
function happyPath() {
  return {
    emails: [email('t1', 'c1', 'bob@x.test', { attempts: 3 }), email('t2', 'c2', 'dan@x.test')],
    stored: [stored('t1', 'c1', 'bob@x.test'), stored('t2', 'c2', 'dan@x.test')],
    notifications: [note('t1', 'alice@x.test'), note('t1', 'carol@x.test'), note('t2', 'ALICE@x.test')],
    participants,
    faults: [] as FaultRecord[],
  };
}

describe('verifyChaos', () => {
  it('counts a clean run: nothing lost, nothing duplicated, one notification per other participant', () => {
    const counts = verifyChaos(happyPath());
    expect(counts.emails).toEqual({ sent: 2, acknowledged: 2, unacknowledged: 0, retries: 2 });
    expect(counts.messages).toMatchObject({ stored: 2, events: 2, lost: [], duplicates: [], misplaced: [] });
    expect(counts.notifications).toMatchObject({ expected: 3, sent: 3, received: 3, lost: [], duplicates: [], unexpected: 0 });
    expect(counts.ok).toBe(true);
  });

  it('an acknowledged email missing from its conversation is lost; an unacknowledged one is not', () => {
    const input = happyPath();
    input.emails.push(email('t3', 'c1', 'carol@x.test'), email('t4', 'c1', 'carol@x.test', { ackedAt: undefined, attempts: 5 }));
    const counts = verifyChaos(input);
    expect(counts.messages.lost).toEqual(['t3']);
    expect(counts.emails).toEqual({ sent: 4, acknowledged: 3, unacknowledged: 1, retries: 6 });
    expect(counts.ok).toBe(false);
  });

  it('an unacknowledged email that was stored anyway is notified like any other', () => {
    const input = happyPath();
    input.emails.push(email('t5', 'c2', 'dan@x.test', { ackedAt: undefined }));
    input.stored.push(stored('t5', 'c2', 'dan@x.test'));
    const counts = verifyChaos(input);
    expect(counts.messages.stored).toBe(3);
    expect(counts.notifications.lost).toEqual([{ token: 't5', to: 'alice@x.test' }]);
    expect(counts.ok).toBe(false);
  });

  it('a missing notification is lost', () => {
    const input = happyPath();
    input.notifications = input.notifications.filter((n) => n.to !== 'carol@x.test');
    const counts = verifyChaos(input);
    expect(counts.notifications).toMatchObject({ expected: 3, sent: 2, lost: [{ token: 't1', to: 'carol@x.test' }] });
    expect(counts.ok).toBe(false);
  });

  it('a duplicate notification inside a crash window is counted and allowed', () => {
    const input = happyPath();
    input.notifications.push(note('t1', 'carol@x.test', 40_000));
    input.faults = [kill(35_000, 42_000)];
    const counts = verifyChaos({ ...input, windowMs: 5_000 });
    // The first copy (3 s) is 32 s before the kill: outside a 5 s window.
    expect(counts.notifications.duplicates).toEqual([{ token: 't1', to: 'carol@x.test', copies: 2, firstAt: 3_000, fault: undefined }]);
    expect(counts.duplicatesOutsideWindows).toBe(1);
    expect(counts.ok).toBe(false);

    const inside = verifyChaos({ ...input, windowMs: 40_000 });
    expect(inside.notifications.duplicates[0].fault).toBe('kill-notifier');
    expect(inside.duplicatesOutsideWindows).toBe(0);
    expect(extraCopies(inside.notifications.duplicates)).toBe(1);
    expect(inside.notifications.sent).toBe(3);
    expect(inside.notifications.received).toBe(4);
    expect(inside.ok).toBe(true);
  });

  it('a message stored twice is a duplicate; outside every crash window it fails the run', () => {
    const input = happyPath();
    input.stored.push(stored('t2', 'c2', 'dan@x.test', 90_000));
    const counts = verifyChaos(input);
    expect(counts.messages).toMatchObject({ stored: 2, events: 3 });
    expect(extraCopies(counts.messages.duplicates)).toBe(1);
    expect(counts.duplicatesOutsideWindows).toBe(1);
    expect(counts.ok).toBe(false);
  });

  it('a message stored under another author or conversation is misplaced', () => {
    const input = happyPath();
    input.stored[0] = stored('t1', 'c1', 'carol@x.test');
    input.notifications = [note('t1', 'alice@x.test'), note('t1', 'bob@x.test'), note('t2', 'alice@x.test')];
    const counts = verifyChaos(input);
    expect(counts.messages.misplaced).toEqual(['t1']);
    expect(counts.ok).toBe(false);
  });

  it('a notification to the author or a stranger is unexpected', () => {
    const input = happyPath();
    input.notifications.push(note('t1', 'bob@x.test'), note('t2', 'eve@x.test'));
    const counts = verifyChaos(input);
    expect(counts.notifications.unexpected).toBe(2);
    expect(counts.notifications.sent).toBe(3);
    expect(counts.ok).toBe(false);
  });
});
