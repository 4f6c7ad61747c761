import { parseAcceptedMail } from './smtp-recorder';
import { histogram, perSecond, recentP99 } from './series';

describe('parseAcceptedMail', () => {
  it('reads the Message-ID and delivery header and finds the token across a quoted-printable soft break', () => {
    const raw = [
      'From: "Jane" <notifications@relay.example.com>',
      'Message-ID:',
      ' <n.abc@relay.example.com>',
      'X-Conversation-Alias-Notification: abc',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Jane wrote: Hi Sam, (ref f00ba1-2-',
      '17) Gr=C3=BC=C3=9Fe',
    ].join('\r\n').replace('(ref f00ba1-2-\r\n', '(ref f00ba1-2-=\r\n');
    const mail = parseAcceptedMail(raw, /\bf00ba1-\d+-\d+\b/, { recipients: ['sam@employer.example'], envelopeFrom: 'bounces@x' });
    expect(mail).toMatchObject({ messageId: 'n.abc@relay.example.com', deliveryId: 'abc', token: 'f00ba1-2-17', recipients: ['sam@employer.example'] });
  });

  it('finds no token in mail of another run', () => {
    expect(parseAcceptedMail('Subject: x\r\n\r\nref aaaaaa-1-1', /\bf00ba1-\d+-\d+\b/, { recipients: [], envelopeFrom: '' }).token).toBeNull();
  });
});

describe('series', () => {
  it('groups samples per second and leaves empty seconds empty', () => {
    const s = perSecond([{ at: 1000, value: 10 }, { at: 1999, value: 30 }, { at: 3500, value: 5 }], 1000, 3);
    expect(s).toEqual({ t: [0, 1, 2], p50: [10, null, 5], p99: [30, null, 5], count: [2, 0, 1] });
  });

  it('puts values in histogram buckets by upper bound, with an overflow bucket', () => {
    expect(histogram([1, 5, 6, 100, 1e6], [5, 100])).toEqual({ bounds: [5, 100], counts: [2, 2, 1] });
  });

  it('takes p99 over a recent window only', () => {
    expect(recentP99([{ at: 0, value: 999 }, { at: 9000, value: 10 }, { at: 9500, value: 20 }], 10_000, 5000)).toBe(20);
    expect(recentP99([], 0, 5000)).toBeNull();
  });
});
