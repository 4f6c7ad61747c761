import { headersOf } from '../parse-email/email-headers.parser';
import type { EmailAttachment, ParsedEmail } from '../parse-email/parsed-email.types';

export interface ParsedEmailOverrides extends Partial<Omit<ParsedEmail, 'headers'>> {
  /** Header values by name; an array for a repeated header. */
  headers?: Record<string, string | readonly string[]>;
}

/**
 * A ParsedEmail for unit tests of code that consumes one: a plain person-to-person reply unless
 * overridden. Headers given here are what `headers` reports; the typed fields are not derived
 * from them (set both when a test needs both).
 */
export function aParsedEmail(overrides: ParsedEmailOverrides = {}): ParsedEmail {
  const { headers = {}, ...fields } = overrides;
  const headerFields = Object.entries(headers).flatMap(([name, values]) =>
    (typeof values === 'string' ? [values] : values).map((value) => ({ name: name.toLowerCase(), raw: value, value })),
  );
  return {
    messageId: '<reply-1@acme.example>',
    inReplyTo: '<notification-1@relay.example.com>',
    references: ['<notification-1@relay.example.com>'],
    from: { address: 'bob.smith@acme.example', name: 'Bob Smith' },
    replyTo: [],
    to: [{ address: 'jane-doe-k7q2m9x4p3r8t@relay.example.com', name: 'Jane Doe' }],
    cc: [],
    returnPath: 'bob.smith@acme.example',
    subject: 'Re: Senior Backend Engineer - interview',
    date: new Date('2025-03-04T10:00:00Z'),
    headers: headersOf(headerFields),
    text: 'Thursday works.\n',
    attachments: [],
    ...fields,
  };
}

export function anAttachment(overrides: Partial<EmailAttachment> = {}): EmailAttachment {
  const content = overrides.content ?? Buffer.from('%PDF-1.4\n');
  return { filename: 'cv.pdf', contentType: 'application/pdf', size: content.length, sha256: 'e3b0c442', content, inline: false, ...overrides };
}
