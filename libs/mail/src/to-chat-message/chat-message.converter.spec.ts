import { parseEmail } from '../parse-email/email.parser';
import { FixtureName, loadFixture } from '../testing';
import { toChatMessage } from './chat-message.converter';
import { truncationMarker } from './chat-text.sanitizer';

const parsed = (name: FixtureName) => parseEmail(loadFixture(name));

const REPLIES: [FixtureName, string][] = [
  ['gmail-reply', "Hi Jane,\n\nThursday at 10:00 works for us. We'll send you a calendar invite with the\nvideo link.\n\nBest,\nBob"],
  ['gmail-android-reply', "Yes, Thursday works. I'll bring the signed forms."],
  ['outlook-desktop-reply', 'Hi Jane,\n\nYes, Thursday 10:00 is confirmed. Please bring a copy of your passport for the visitor badge.\n\nKind regards,\nBob Smith\nHead of Engineering | ACME Corp\n+44 20 7946 0000'],
  ['outlook-web-reply', 'Hi Jane,\n\nQuick update: the interview moves to room 4.12 on the fourth floor.\n\nBob'],
  ['apple-mail-reply', 'Hi Jane,\n\nPerfect — see you on Thursday. The office is at 12 Rue de la Paix; ask for me at the reception desk on the ground floor.\n\nBob'],
  ['thunderbird-reply', 'Hi Jane,\n\nThanks for confirming. I have booked meeting room 3 for Thursday at 10:00 and our CTO, Priya, will join us for the second half of the interview.\n\nBob'],
  ['iphone-reply', 'Sounds good, see you Thursday!'],
  ['french-reply', "Bonjour Jane,\n\nJeudi à 10h me convient parfaitement. Je vous enverrai l'adresse exacte demain.\n\nCordialement,\nBob"],
  ['german-reply', 'Hallo Jane,\n\nDonnerstag um 10:00 Uhr passt. Bitte bringen Sie Ihre Zeugnisse mit.\n\nMit freundlichen Grüßen\nBob Smith'],
  ['spanish-reply', 'Hola Jane:\n\nSí, el jueves a las 10:00 me va perfecto. ¿Necesitas que te enviemos algo antes?\n\nSaludos,\nBob'],
];

describe('toChatMessage', () => {
  describe.each(REPLIES)('the %s fixture', (name, body) => {
    it('posts what the sender wrote, from the text part', async () => {
      expect(toChatMessage(await parsed(name))).toMatchObject({ body, fromHtml: false, truncated: false });
    });

    it('keeps the quoted earlier message as trimmed', async () => {
      expect(toChatMessage(await parsed(name)).trimmed).toMatch(/Can we meet|Pouvons-nous|können wir|Podemos vernos/);
    });
  });

  // The same replies' HTML parts, as if the mail had no text part: both routes must agree.
  describe.each(REPLIES.filter(([name]) => !['thunderbird-reply', 'german-reply', 'spanish-reply'].includes(name)))('the HTML part of %s', (name, body) => {
    it('gives the same body, without hard line wraps', async () => {
      const { html } = await parsed(name);
      expect(toChatMessage({ html })).toMatchObject({ body: body.replace('the\nvideo', 'the video'), fromHtml: true });
    });
  });

  it('converts HTML-only mail: links kept, no pixel, no style, script or hidden preheader, quote trimmed', async () => {
    expect(toChatMessage(await parsed('html-only'))).toEqual({
      body:
        'Hi Jane,\n\nYour interview is confirmed for Thursday, 6 March at 10:00.\n\n' +
        'Please confirm your attendance <https://careers.acme.example/interviews/8841/confirm?utm_source=email&utm_medium=ats> or write to recruiting@acme.example.\n\n' +
        'Location 12 Rue de la Paix, Paris\nDuration 90 minutes\n\nBob',
      trimmed: 'On Mon, 3 Mar 2025 at 18:40, Jane Doe <jane-doe-k7q2m9x4p3r8t@relay.example.com> wrote:\n\n> Can we meet on Thursday at 10:00?\n> Jane',
      fromHtml: true,
      truncated: false,
    });
  });

  it('removes NUL bytes and terminal escapes', async () => {
    expect(toChatMessage(await parsed('nul-bytes')).body).toBe('Hi Jane,\n\nSee you on Thursday.\n\nBob');
  });

  it('has trimmed null when nothing was removed', async () => {
    expect(toChatMessage(await parsed('windows-1252')).trimmed).toBeNull();
  });

  it('falls back to the HTML when the text part is blank', () => {
    expect(toChatMessage({ text: ' \n\u0000\n', html: '<p>Hello</p>' })).toMatchObject({ body: 'Hello', fromHtml: true });
  });

  it('gives an empty body for a mail that only quotes', () => {
    expect(toChatMessage({ text: 'On Mon, 3 Mar 2025, Jane <jane@x.example> wrote:\n> Can we meet?\n' }).body).toBe('');
  });

  it('gives an empty body for a mail with neither text nor HTML', () => {
    expect(toChatMessage({})).toEqual({ body: '', trimmed: null, fromHtml: false, truncated: false });
  });

  it('normalizes line breaks and whitespace', () => {
    expect(toChatMessage({ text: '\r\n\r\nHello \t\r\n\r\n\r\n\r\nworld\u00a0!\r\n\r\n' }).body).toBe('Hello\n\nworld !');
  });

  it('caps a long body with a visible marker and says it truncated', () => {
    const message = toChatMessage({ text: 'x'.repeat(30_000) });
    expect([message.body.length, message.truncated, message.body.endsWith(truncationMarker(30_000 - message.body.indexOf('\n\n[')))]).toEqual([20_000, true, true]);
  });

  it('takes the cap from the options', () => {
    expect(toChatMessage({ text: 'word '.repeat(100) }, { maxBodyChars: 100 }).body.length).toBeLessThanOrEqual(100);
  });
});
