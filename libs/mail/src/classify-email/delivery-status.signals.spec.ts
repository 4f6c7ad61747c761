import { aParsedEmail, anAttachment } from '../testing';
import { detectDeliveryStatus } from './delivery-status.signals';

const daemon = { address: 'MAILER-DAEMON@mx.acme.example', name: 'Mail Delivery System' };

describe('detectDeliveryStatus', () => {
  it('recognises an RFC 3464 multipart/report', () => {
    const email = aParsedEmail({ headers: { 'Content-Type': 'multipart/report; report-type="delivery-status"; boundary="b"' } });
    expect(detectDeliveryStatus(email)).toBe('multipart/report; report-type=delivery-status');
  });

  it('recognises a read receipt (report-type=disposition-notification)', () => {
    const email = aParsedEmail({ headers: { 'Content-Type': 'multipart/report; report-type=disposition-notification; boundary=b' } });
    expect(detectDeliveryStatus(email)).toMatch(/^read receipt/);
  });

  it('recognises a message/delivery-status part', () => {
    expect(detectDeliveryStatus(aParsedEmail({ attachments: [anAttachment({ contentType: 'message/delivery-status' })] }))).toBe('carries a message/delivery-status part');
  });

  it('recognises X-Failed-Recipients (Exim)', () => {
    expect(detectDeliveryStatus(aParsedEmail({ headers: { 'X-Failed-Recipients': 'old@acme.example' } }))).toBe('X-Failed-Recipients header');
  });

  it('recognises MAILER-DAEMON with a bounce body', () => {
    const email = aParsedEmail({ from: daemon, subject: 'failure', text: 'Your message could not be delivered.\n550 5.1.1 User unknown' });
    expect(detectDeliveryStatus(email)).toBe('bounce from mailer-daemon');
  });

  it('recognises postmaster returning the original message', () => {
    const email = aParsedEmail({ from: { address: 'postmaster@acme.example', name: '' }, subject: 'Notice', text: 'See attached.', attachments: [anAttachment({ contentType: 'message/rfc822' })] });
    expect(detectDeliveryStatus(email)).toBe('bounce from postmaster');
  });

  it('lets a postmaster write like a person', () => {
    const email = aParsedEmail({ from: { address: 'postmaster@acme.example', name: 'Sam' }, subject: 'Re: your question', text: 'Hi, the server is fine now.' });
    expect(detectDeliveryStatus(email)).toBeNull();
  });

  it('recognises a bounce subject from the null sender', () => {
    expect(detectDeliveryStatus(aParsedEmail({ returnPath: '', subject: 'Undeliverable: Re: Interview' }))).toBe('bounce subject from the null sender');
  });

  it('lets a person’s reply with a bounce-like subject through', () => {
    expect(detectDeliveryStatus(aParsedEmail({ subject: 'Undeliverable: Re: Interview' }))).toBeNull();
  });
});
