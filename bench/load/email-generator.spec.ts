import { simpleParser } from 'mailparser';
import { DEFAULT_MIX, encodeQuotedPrintable, generateEmail, tokenPattern } from './email-generator';
import { seededRandom } from './random';
import { ScenarioConversation } from './scenario-types';

const conversation: ScenarioConversation = {
  id: 'conv-1',
  subject: 'Software Engineer application',
  participants: [
    { id: 'p1', email: 'jane@candidate.example', displayName: 'Jane Doe', alias: 'jane-doe-k7q2@relay.example.com', accountId: null },
    { id: 'p2', email: 'sam@employer.example', displayName: 'Sam Taylor', alias: 'sam-taylor-x9p3@relay.example.com', accountId: 'acc-2' },
    { id: 'p3', email: 'zoe@candidate.example', displayName: 'Zoë Ødegård', alias: 'zoe-m2r8@relay.example.com', accountId: null },
  ],
};

describe('generateEmail', () => {
  it('writes MIME that mailparser reads back: sender, alias, Message-ID and the token in the text', async () => {
    const random = seededRandom(1);
    for (let n = 0; n < 40; n++) {
      const email = generateEmail(conversation, `abc123-1-${n}`, random);
      const parsed = await simpleParser(email.raw);
      expect(parsed.from?.value[0].address).toBe(email.sender.email);
      expect((parsed.to as { value: { address: string }[] }).value[0].address).toBe(email.sender.alias);
      expect(parsed.messageId).toBe(`<${email.messageId}>`);
      expect(parsed.subject).toBe(`Re: ${conversation.subject}`);
      expect(tokenPattern('abc123').exec(parsed.text ?? '')?.[0]).toBe(`abc123-1-${n}`);
      expect(email.notify).toEqual(conversation.participants.filter((p) => p.id !== email.sender.id).map((p) => p.email));
      if (email.features.html) expect(parsed.html).toContain(`abc123-1-${n}`);
      if (email.features.nonAscii) expect(parsed.text).toMatch(/[^\x00-\x7f]/);
    }
  });

  it('quotes the previous message the way mail clients do', async () => {
    const email = generateEmail(conversation, 't0k3n1-1-1', seededRandom(2), { mix: { ...DEFAULT_MIX, quoted: 1, html: 0, attachment: 0 } });
    const text = (await simpleParser(email.raw)).text ?? '';
    expect(text).toMatch(/^On .+ wrote:$/m);
    expect(text).toMatch(/^> \S/m);
    expect(email.raw.toString()).toMatch(/^In-Reply-To: <.+>$/m);
  });

  it('attaches a file that parses with its name, type and size', async () => {
    const mix = { ...DEFAULT_MIX, attachment: 1, html: 1, attachmentBytes: [5000, 5000] as [number, number] };
    const email = generateEmail(conversation, 't0k3n1-1-2', seededRandom(3), { mix });
    const parsed = await simpleParser(email.raw);
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0].size).toBe(5000);
    expect(parsed.attachments[0].filename).toMatch(/\.(pdf|docx|jpg)$/);
    expect(parsed.html).toContain('t0k3n1-1-2');
  });

  it('varies size across emails', () => {
    const random = seededRandom(4);
    const sizes = Array.from({ length: 200 }, (_, n) => generateEmail(conversation, `v-1-${n}`, random).raw.length);
    expect(Math.max(...sizes)).toBeGreaterThan(Math.min(...sizes) * 5);
  });

  it('encodes quoted-printable that decodes back to the text, with lines of at most 76 characters', () => {
    const text = `${'Grüße aus München = 10 € '.repeat(12)}\r\nsecond line `;
    const encoded = encodeQuotedPrintable(text);
    expect(encoded.split('\r\n').every((l) => l.length <= 76)).toBe(true);
    const decoded = Buffer.from(
      encoded.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
    expect(decoded).toBe(text);
  });
});
