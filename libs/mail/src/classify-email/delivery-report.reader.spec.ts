import { parseEmail } from '../parse-email/email.parser';
import { aParsedEmail, anAttachment, loadFixture } from '../testing';
import { readDeliveryReport } from './delivery-report.reader';

/** A multipart/report DSN as parsed: the human part as text, the machine part as an attachment. */
function aDsn(fields: string, options: { contentType?: string; text?: string } = {}) {
  return aParsedEmail({
    from: { address: 'MAILER-DAEMON@mx.acme.example', name: 'Mail Delivery System' },
    returnPath: '',
    subject: 'Undelivered Mail Returned to Sender',
    text: options.text ?? 'Your message could not be delivered.\n',
    attachments: [
      anAttachment({ filename: 'details.txt', contentType: options.contentType ?? 'message/delivery-status', content: Buffer.from(fields.replace(/\n/g, '\r\n')) }),
      anAttachment({ filename: 'headers.txt', contentType: 'text/rfc822-headers', content: Buffer.from('Subject: hi\r\n') }),
    ],
  });
}

const PER_MESSAGE = 'Reporting-MTA: dns; mx.acme.example\nArrival-Date: Wed, 5 Mar 2025 13:00:01 +0000\n\n';

describe('readDeliveryReport: RFC 3464 reports', () => {
  it('reads a failed recipient as permanent, with its status and the diagnostic', () => {
    const report = readDeliveryReport(
      aDsn(`${PER_MESSAGE}Final-Recipient: rfc822; old@acme.example\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <old@acme.example>: User unknown\n`),
    );
    expect(report).toEqual({ action: 'failed', status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 <old@acme.example>: User unknown', permanent: true });
  });

  it('reads a real Postfix bounce, unfolding the folded diagnostic', async () => {
    const report = readDeliveryReport(await parseEmail(loadFixture('dsn')));
    expect(report).toEqual({
      action: 'failed',
      status: '5.1.1',
      diagnostic: 'smtp; 550 5.1.1 <old.address@acme.example>: Recipient address rejected: User unknown in local recipient table',
      permanent: true,
    });
  });

  it('does not call a delayed delivery permanent', () => {
    const report = readDeliveryReport(
      aDsn(`${PER_MESSAGE}Final-Recipient: rfc822; bob@acme.example\nAction: delayed\nStatus: 4.4.7\nDiagnostic-Code: smtp; 421 4.4.7 try again later\nWill-Retry-Until: Fri, 7 Mar 2025 13:00:01 +0000\n`),
    );
    expect(report).toEqual({ action: 'delayed', status: '4.4.7', diagnostic: 'smtp; 421 4.4.7 try again later', permanent: false });
  });

  it('does not call a delivered or relayed notice permanent', () => {
    expect(readDeliveryReport(aDsn(`${PER_MESSAGE}Final-Recipient: rfc822; bob@acme.example\nAction: delivered\nStatus: 2.0.0\n`))).toMatchObject({ action: 'delivered', permanent: false });
    expect(readDeliveryReport(aDsn(`${PER_MESSAGE}Final-Recipient: rfc822; bob@acme.example\nAction: relayed\nStatus: 2.0.0\n`))).toMatchObject({ action: 'relayed', permanent: false });
  });

  it('reads the Action in any case, and a 5.x.x status without an Action as permanent', () => {
    expect(readDeliveryReport(aDsn(`${PER_MESSAGE}Action: FAILED\nStatus: 5.2.2\n`))).toMatchObject({ action: 'failed', status: '5.2.2', permanent: true });
    expect(readDeliveryReport(aDsn(`${PER_MESSAGE}Final-Recipient: rfc822; bob@acme.example\nStatus: 5.7.1\n`))).toEqual({ action: null, status: '5.7.1', diagnostic: null, permanent: true });
    expect(readDeliveryReport(aDsn(`${PER_MESSAGE}Final-Recipient: rfc822; bob@acme.example\nStatus: 4.2.2\n`))).toMatchObject({ action: null, permanent: false });
  });

  it('takes the first recipient of a report about several', () => {
    const report = readDeliveryReport(
      aDsn(`${PER_MESSAGE}Final-Recipient: rfc822; a@acme.example\nAction: delayed\nStatus: 4.2.2\n\nFinal-Recipient: rfc822; b@acme.example\nAction: failed\nStatus: 5.1.1\n`),
    );
    expect(report).toMatchObject({ action: 'delayed', status: '4.2.2', permanent: false });
  });

  it('reads an internationalised report (message/global-delivery-status), whatever the case of its type', () => {
    const report = readDeliveryReport(aDsn(`${PER_MESSAGE}Final-Recipient: utf-8; jürgen@beispiel.example\nAction: failed\nStatus: 5.1.1\n`, { contentType: 'Message/Global-Delivery-Status' }));
    expect(report).toMatchObject({ action: 'failed', status: '5.1.1', permanent: true });
  });

  it('keeps the diagnostic on one line, without control characters, at most 300 characters', () => {
    const report = readDeliveryReport(aDsn(`${PER_MESSAGE}Action: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 bad\u0007thing ${'x'.repeat(400)}\n`));
    expect(report.diagnostic).toHaveLength(300);
    expect(report.diagnostic).toMatch(/^smtp; 550 bad thing x+$/);
  });
});

describe('readDeliveryReport: non-standard bounces (no report part)', () => {
  const bounce = (text: string) => aParsedEmail({ subject: 'failure notice', text, attachments: [anAttachment()] });

  it('takes a 5.x.x code in the text as permanent', () => {
    expect(readDeliveryReport(bounce('Sorry, we were unable to deliver your message.\n<bob@acme.example>: 550 5.1.1 mailbox unavailable\n'))).toEqual({
      action: null,
      status: '5.1.1',
      diagnostic: null,
      permanent: true,
    });
  });

  it('takes a 4.x.x code in the text as not permanent', () => {
    expect(readDeliveryReport(bounce('Delivery is delayed: 451 4.7.1 greylisted, try again later\n'))).toEqual({ action: null, status: '4.7.1', diagnostic: null, permanent: false });
  });

  it('takes a bounce without any code as permanent: that is what they almost always mean', () => {
    expect(readDeliveryReport(bounce('Hi. This is the qmail-send program. I was not able to deliver your message.\n'))).toEqual({ action: null, status: null, diagnostic: null, permanent: true });
    expect(readDeliveryReport(aParsedEmail({ text: null as unknown as string, attachments: [] }))).toMatchObject({ status: null, permanent: true });
  });

  it('does not take part of an IP address or a version number for a status code', () => {
    expect(readDeliveryReport(bounce('Remote host 10.4.1.20 said: 550 5.1.1 User unknown\n'))).toMatchObject({ status: '5.1.1', permanent: true });
    expect(readDeliveryReport(bounce('Connected to 10.5.2.10 but the mailbox is full\n'))).toMatchObject({ status: null, permanent: true });
    expect(readDeliveryReport(bounce('Mail server 15.4.22.1 could not deliver your message\n'))).toMatchObject({ status: null, permanent: true });
  });

  it('finds a code at the end of a sentence or in brackets', () => {
    expect(readDeliveryReport(bounce('Delivery failed with status 5.2.2.\n'))).toMatchObject({ status: '5.2.2', permanent: true });
    expect(readDeliveryReport(bounce('Temporary failure (4.2.1), will retry\n'))).toMatchObject({ status: '4.2.1', permanent: false });
  });
});
