import { MalformedEmailError } from '../mail.errors';
import { FIXTURE_ALIAS, FIXTURE_NOTIFICATION_ID, FIXTURE_SENDER, loadFixture } from '../testing';
import { parseEmail } from './email.parser';

const raw = (text: string) => Buffer.from(text.replace(/\n/g, '\r\n'), 'latin1');

describe('parseEmail', () => {
  describe('a Gmail reply', () => {
    let email: Awaited<ReturnType<typeof parseEmail>>;
    beforeAll(async () => {
      email = await parseEmail(loadFixture('gmail-reply'));
    });

    it('reads the Message-ID', () => expect(email.messageId).toBe('<CAF3xQ+kq9Vd4=p0Yh1m2N8u_wXk5Tq7eYbZ@mail.gmail.com>'));
    it('reads In-Reply-To and References', () => expect([email.inReplyTo, email.references]).toEqual([FIXTURE_NOTIFICATION_ID, [FIXTURE_NOTIFICATION_ID]]));
    it('reads From', () => expect(email.from).toEqual({ address: FIXTURE_SENDER, name: 'Bob Smith' }));
    it('reads To', () => expect(email.to).toEqual([{ address: FIXTURE_ALIAS, name: 'Jane Doe' }]));
    it('decodes the subject', () => expect(email.subject).toBe('Re: Senior Backend Engineer – interview'));
    it('reads the date', () => expect(email.date?.toISOString()).toBe('2025-03-04T09:12:31.000Z'));
    it('reads the Return-Path', () => expect(email.returnPath).toBe(FIXTURE_SENDER));
    it('keeps the text part', () => expect(email.text).toMatch(/^Hi Jane,\n\nThursday at 10:00 works for us\./));
    it('keeps the HTML part', () => expect(email.html).toMatch(/^<div dir="ltr">/));
    it('gives every value of a repeated header', () => expect(email.headers.getAll('received')).toHaveLength(2));
    it('decodes header values', () => expect(email.headers.get('Subject')).toBe(email.subject));
  });

  it('reads Reply-To and Cc', async () => {
    const email = await parseEmail(raw('From: a@x.example\nReply-To: Team <team@x.example>\nCc: c@x.example, "D" <d@x.example>\n\nhi\n'));
    expect([email.replyTo, email.cc.map((entry) => entry.address)]).toEqual([[{ address: 'team@x.example', name: 'Team' }], ['c@x.example', 'd@x.example']]);
  });

  it('marks the null sender with an empty Return-Path', async () => {
    expect((await parseEmail(loadFixture('dsn'))).returnPath).toBe('');
  });

  it('has no messageId when the mail has none', async () => {
    expect((await parseEmail(loadFixture('no-message-id'))).messageId).toBeUndefined();
  });

  it('has no date, rather than the time of parsing, for an unreadable Date', async () => {
    expect((await parseEmail(raw('From: a@x.example\nDate: the day before yesterday\n\nhi\n'))).date).toBeUndefined();
  });

  it('has no text, rather than one derived from the HTML, for HTML-only mail', async () => {
    const email = await parseEmail(loadFixture('html-only'));
    expect([email.text, typeof email.html]).toEqual([undefined, 'string']);
  });

  it('reads format=flowed text as its paragraphs', async () => {
    expect((await parseEmail(loadFixture('thunderbird-reply'))).text).toContain('Thursday at 10:00 and our CTO');
  });

  describe('charsets', () => {
    it.each([
      ['iso-8859-1', 'J\'ai bien reçu votre CV. Nous serons ravis de vous rencontrer à Genève'],
      ['windows-1252', 'The range for this role is €65,000–€75,000 … and it’s negotiable for the “right” candidate.'],
      ['shift-jis', '木曜日の10時で問題ありません。'],
      ['broken-charset', 'a café-district flat – we’ll confirm the details naïvely soon'],
      ['unknown-charset', 'Votre accès au portail candidat est prêt.'],
      ['outlook-web-reply', 'Subject: Senior Backend Engineer – interview'],
      ['german-reply', 'Mit freundlichen Grüßen'],
    ] as const)('decodes the %s body', async (name, expected) => {
      expect((await parseEmail(loadFixture(name))).text).toContain(expected);
    });

    it.each([
      ['iso-8859-1', 'Réponse : entretien à Genève'],
      ['shift-jis', 'Re: 面接の日程'],
      ['unknown-charset', 'Accès au portail'],
      ['german-reply', 'AW: Vorstellungsgespräch'],
    ] as const)('decodes the %s subject', async (name, expected) => {
      expect((await parseEmail(loadFixture(name))).subject).toBe(expected);
    });

    it.each([
      ['iso-8859-1', 'André Müller'],
      ['shift-jis', '山田 太郎'],
    ] as const)('decodes the %s sender name', async (name, expected) => {
      expect((await parseEmail(loadFixture(name))).from?.name).toBe(expected);
    });

    it('reads a body with no charset and Latin-1 bytes', async () => {
      expect((await parseEmail(raw('From: a@x.example\nContent-Type: text/plain\n\nCaf\xe9\n'))).text).toBe('Café\n');
    });

    it('reads UTF-8 declared as utf8x', async () => {
      const email = await parseEmail(Buffer.concat([raw('From: a@x.example\nContent-Type: text/plain; charset=utf8x\n\n'), Buffer.from('Café ✓\n')]));
      expect(email.text).toBe('Café ✓\n');
    });

    it('reads raw Latin-1 bytes in the subject', async () => {
      expect((await parseEmail(raw('From: a@x.example\nSubject: Caf\xe9\n\nhi\n'))).subject).toBe('Café');
    });
  });

  describe('attachments', () => {
    it('describes a PDF with its decoded name, type, size and checksum', async () => {
      const [pdf] = (await parseEmail(loadFixture('pdf-attachment'))).attachments;
      expect({ ...pdf, content: undefined }).toEqual({
        filename: 'Offer letter – Jane Doe.pdf',
        contentType: 'application/pdf',
        size: 447,
        sha256: 'ab53b49b7e42925c2b304fa0739d241369f5723c5285ccf65965fd554465b17c',
        content: undefined,
        contentId: 'f_m7v2k9x10',
        inline: false,
      });
    });

    it('returns the decoded content', async () => {
      const [pdf] = (await parseEmail(loadFixture('pdf-attachment'))).attachments;
      expect(pdf.content.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    });

    it('marks an inline image and gives its Content-ID without brackets, as cid: URLs use it', async () => {
      const email = await parseEmail(loadFixture('inline-image'));
      expect(email.attachments.map(({ filename, contentType, contentId, inline }) => ({ filename, contentType, contentId, inline }))).toEqual([
        { filename: 'floorplan.png', contentType: 'image/png', contentId: 'floorplan.png@01DB8C1E.2F3A4B50', inline: true },
      ]);
    });

    it('names an attachment without a file name attachment-N', async () => {
      const email = await parseEmail(
        raw('From: a@x.example\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhi\n--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAEC\n--b--\n'),
      );
      expect(email.attachments.map((attachment) => attachment.filename)).toEqual(['attachment-1']);
    });

    it('sanitizes a hostile file name', async () => {
      const email = await parseEmail(
        raw('From: a@x.example\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhi\n--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename="../../etc/passwd"\n\nx\n--b--\n'),
      );
      expect(email.attachments[0].filename).toBe('passwd');
    });

    it('keeps a DSN report part as an attachment, out of the text', async () => {
      const email = await parseEmail(loadFixture('dsn'));
      expect([email.attachments.map((part) => part.contentType), email.text]).toEqual([
        ['message/delivery-status', 'text/rfc822-headers'],
        expect.not.stringContaining('Reporting-MTA'),
      ]);
    });
  });

  describe('damaged mail', () => {
    it('reads the complete parts of a message whose closing boundary is missing', async () => {
      const email = await parseEmail(loadFixture('truncated-mime'));
      expect([email.text, email.attachments.map((part) => part.filename)]).toEqual(['Hi Jane,\n\nMy notes on your portfolio are attached.\n\nBob\n', ['notes.pdf']]);
    });

    it('keeps NUL bytes for toChatMessage to remove', async () => {
      expect((await parseEmail(loadFixture('nul-bytes'))).text).toContain('See you\u0000\u0000 on Thursday');
    });
  });

  describe('input that is not an email', () => {
    it.each([
      ['empty input', Buffer.alloc(0)],
      ['binary data', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d])],
      ['plain text', Buffer.from('just some text\nover two lines\n')],
      ['JSON', Buffer.from('{"from":"a@x.example","text":"hi"}')],
      ['headers without From, Message-ID or Date', raw('Subject: hello\nX-Mailer: test\n\nbody\n')],
    ])('refuses %s with MalformedEmailError', async (_, input) => {
      await expect(parseEmail(input)).rejects.toBeInstanceOf(MalformedEmailError);
    });

    it('says what is wrong in the error, as an INVALID domain error', async () => {
      await expect(parseEmail(raw('Subject: hello\n\nbody\n'))).rejects.toMatchObject({ code: 'MALFORMED_EMAIL', category: 'INVALID', message: 'Not a valid email: it has none of From, Message-ID and Date' });
    });

    it('accepts a mail that has only a Message-ID', async () => {
      await expect(parseEmail(raw('Message-ID: <a@x>\n\nbody\n'))).resolves.toMatchObject({ messageId: '<a@x>', from: undefined });
    });
  });
});
