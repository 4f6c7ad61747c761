import { SendMailOptions } from 'nodemailer';
import { OutgoingEmail } from '../domain/delivery-ports';
import { DeliveryErrorCode, PermanentDeliveryError, TransientDeliveryError } from '../domain/delivery.errors';
import { SmtpEmailSender, SmtpTransport, classifySmtpError, createSmtpTransport } from './smtp-email-sender';

const email: OutgoingEmail = {
  from: { name: 'Jane Doe', address: 'notifications@relay.example.com' },
  to: { name: 'Bob Smith', address: 'bob@acme.example' },
  replyTo: 'bob.x7k2@relay.example.com',
  subject: 'Re: Senior engineer role',
  text: 'SECRET BODY',
  html: '<p>SECRET BODY</p>',
  messageId: '<n.d1@relay.example.com>',
  inReplyTo: '<conversation.c1.p1@relay.example.com>',
  references: ['<conversation.c1.p1@relay.example.com>'],
  headers: { 'Auto-Submitted': 'auto-generated' },
  envelopeFrom: 'bounces+d1.abcdefghij@relay.example.com',
};

/** Shaped like nodemailer's errors (lib/smtp-connection: _formatError). */
function smtpError(message: string, fields: { code?: string; response?: string; responseCode?: number; command?: string }): Error {
  return Object.assign(new Error(fields.response ? `${message}: ${fields.response}` : message), fields);
}

class FakeTransport implements SmtpTransport {
  sent: SendMailOptions[] = [];
  closed = false;
  constructor(private readonly outcome: { response: string; rejected?: unknown[] } | Error = { response: '250 2.0.0 Ok: queued as 42' }) {}

  async sendMail(mail: SendMailOptions): Promise<{ response: string; rejected?: unknown[] }> {
    this.sent.push(mail);
    if (this.outcome instanceof Error) throw this.outcome;
    return this.outcome;
  }

  close(): void {
    this.closed = true;
  }
}

describe('SmtpEmailSender', () => {
  it('hands nodemailer the whole email: threading, Reply-To, headers and the VERP envelope', async () => {
    const transport = new FakeTransport();
    const result = await new SmtpEmailSender({ smtpUrl: 'smtp://unused' }, transport).send(email);

    expect(result).toEqual({ accepted: true, response: '250 2.0.0 Ok: queued as 42' });
    expect(transport.sent).toEqual([
      expect.objectContaining({
        from: { name: 'Jane Doe', address: 'notifications@relay.example.com' },
        to: { name: 'Bob Smith', address: 'bob@acme.example' },
        replyTo: 'bob.x7k2@relay.example.com',
        subject: 'Re: Senior engineer role',
        text: 'SECRET BODY',
        html: '<p>SECRET BODY</p>',
        messageId: '<n.d1@relay.example.com>',
        inReplyTo: '<conversation.c1.p1@relay.example.com>',
        references: ['<conversation.c1.p1@relay.example.com>'],
        headers: { 'Auto-Submitted': 'auto-generated' },
        envelope: { from: 'bounces+d1.abcdefghij@relay.example.com', to: 'bob@acme.example' },
        disableUrlAccess: true,
        disableFileAccess: true,
      }),
    ]);
  });

  it('leaves Reply-To and In-Reply-To out when there are none', async () => {
    const transport = new FakeTransport();
    await new SmtpEmailSender({ smtpUrl: 'smtp://unused' }, transport).send({ ...email, replyTo: null, inReplyTo: null });
    expect(transport.sent[0].replyTo).toBeUndefined();
    expect(transport.sent[0].inReplyTo).toBeUndefined();
  });

  it('fails for good when the server accepted the transaction but rejected the recipient', async () => {
    const sender = new SmtpEmailSender({ smtpUrl: 'smtp://unused' }, new FakeTransport({ response: '250 Ok', rejected: ['bob@acme.example'] }));
    await expect(sender.send(email)).rejects.toBeInstanceOf(PermanentDeliveryError);
  });

  it('fails for good on a 5xx, with the code and reply but not the content', async () => {
    const error = smtpError("Can't send mail - all recipients were rejected", {
      code: 'EENVELOPE',
      response: '550 5.1.1 <bob@acme.example>: Recipient address rejected: User unknown',
      responseCode: 550,
      command: 'RCPT TO',
    });
    const failure = await new SmtpEmailSender({ smtpUrl: 'smtp://unused' }, new FakeTransport(error)).send(email).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(PermanentDeliveryError);
    expect((failure as Error).message).toBe('SMTP server refused the email with 550 to RCPT TO: 550 5.1.1 <bob@acme.example>: Recipient address rejected: User unknown');
    expect((failure as Error).message).not.toContain('SECRET BODY');
  });

  it('retries later when the server is unreachable', async () => {
    const error = smtpError('connect ECONNREFUSED 127.0.0.1:1', { code: 'ESOCKET', command: 'CONN' });
    const failure = await new SmtpEmailSender({ smtpUrl: 'smtp://unused' }, new FakeTransport(error)).send(email).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(TransientDeliveryError);
    expect(failure).toMatchObject({ code: DeliveryErrorCode.ProviderUnavailable, retryable: true, message: 'SMTP server unavailable (ESOCKET): connect ECONNREFUSED 127.0.0.1:1' });
  });

  it('closes the pool on shutdown', () => {
    const transport = new FakeTransport();
    new SmtpEmailSender({ smtpUrl: 'smtp://unused' }, transport).onApplicationShutdown();
    expect(transport.closed).toBe(true);
  });
});

describe('classifySmtpError', () => {
  it.each([
    ['mailbox unknown', smtpError('all recipients were rejected', { code: 'EENVELOPE', response: '550 5.1.1 User unknown', responseCode: 550, command: 'RCPT TO' })],
    ['sender refused', smtpError('Mail command failed', { code: 'EENVELOPE', response: '553 5.7.1 Sender address rejected', responseCode: 553, command: 'MAIL FROM' })],
    ['content refused', smtpError('Message failed', { code: 'EMESSAGE', response: '554 5.7.1 Spam', responseCode: 554, command: 'DATA' })],
    ['too large', smtpError('Message failed', { code: 'EMESSAGE', response: '552 5.3.4 Message size exceeds fixed limit', responseCode: 552, command: 'DATA' })],
    ['an invalid address caught before sending', smtpError('Invalid recipient "bob@"', { code: 'EENVELOPE', command: 'API' })],
    ['a message over the size the server announced', smtpError('Message size larger than allowed 1000', { code: 'EMESSAGE', command: 'MAIL FROM' })],
  ])('fails for good: %s', (_what, error) => {
    expect(classifySmtpError(error)).toBeInstanceOf(PermanentDeliveryError);
  });

  it.each([
    ['greylisting', smtpError('all recipients were rejected', { code: 'EENVELOPE', response: '451 4.7.1 Greylisted, try again', responseCode: 451, command: 'RCPT TO' })],
    ['mailbox full', smtpError('Message failed', { code: 'EMESSAGE', response: '452 4.2.2 Mailbox full', responseCode: 452, command: 'DATA' })],
    ['server shutting down', smtpError('Server terminates connection', { code: 'ECONNECTION', response: '421 4.3.2 Service shutting down', responseCode: 421, command: 'EHLO' })],
    ['connection refused', smtpError('connect ECONNREFUSED 127.0.0.1:1025', { code: 'ESOCKET', command: 'CONN' })],
    ['connection timeout', smtpError('Connection timeout', { code: 'ETIMEDOUT', command: 'CONN' })],
    ['greeting never received', smtpError('Greeting never received', { code: 'ETIMEDOUT', command: 'CONN' })],
    ['connection closed', smtpError('Connection closed unexpectedly', { code: 'ECONNECTION', command: 'CONN' })],
    ['unknown host', smtpError('getaddrinfo ENOTFOUND mail', { code: 'EDNS', command: 'CONN' })],
    // Our credentials, not this recipient: every email would fail until the configuration is fixed.
    ['login refused', smtpError('Invalid login', { code: 'EAUTH', response: '535 5.7.8 Authentication failed', responseCode: 535, command: 'AUTH PLAIN' })],
    ['service refused at the greeting', smtpError('Invalid greeting', { code: 'EPROTOCOL', response: '554 No SMTP service here', responseCode: 554, command: 'CONN' })],
    ['a bare Node socket error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['something unexpected', new Error('boom')],
    ['not even an error', 'boom'],
  ])('retries later: %s', (_what, error) => {
    const classified = classifySmtpError(error);
    expect(classified).toBeInstanceOf(TransientDeliveryError);
    expect(classified.retryable).toBe(true);
  });

  it('keeps the reason on one short line', () => {
    const classified = classifySmtpError(smtpError('x', { code: 'EENVELOPE', response: `550 first line\r\n550 ${'y'.repeat(1000)}`, responseCode: 550 }));
    expect(classified.message).not.toMatch(/[\r\n]/);
    expect(classified.message.length).toBeLessThan(400);
  });

  it('keeps the original error as the cause', () => {
    const error = smtpError('Connection timeout', { code: 'ETIMEDOUT' });
    expect(classifySmtpError(error).cause).toBe(error);
  });
});

describe('createSmtpTransport', () => {
  /** nodemailer's transport behind the Mailer: where the connection options end up. */
  function transportOptions(transport: SmtpTransport): Record<string, unknown> {
    const inner = (transport as unknown as { transporter: { constructor: { name: string }; options: Record<string, unknown> } }).transporter;
    return { kind: inner.constructor.name, ...inner.options };
  }

  it('pools connections with timeouts in seconds', () => {
    const transport = createSmtpTransport({ smtpUrl: 'smtp://user:p%40ss@mail.example:2525' });
    try {
      expect(transportOptions(transport)).toMatchObject({
        kind: 'SMTPPool',
        host: 'mail.example',
        port: 2525,
        secure: false,
        auth: { user: 'user', pass: 'p@ss' },
        pool: true,
        maxConnections: 5,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      });
    } finally {
      transport.close();
    }
  });

  it('is what a sender built from SMTP_URL alone uses', () => {
    const sender = new SmtpEmailSender('smtp://mail.example:2525');
    const transport = (sender as unknown as { transport: SmtpTransport }).transport;
    try {
      expect(transportOptions(transport)).toMatchObject({ kind: 'SMTPPool', host: 'mail.example', port: 2525, maxConnections: 5, socketTimeout: 30_000 });
    } finally {
      sender.onApplicationShutdown();
    }
  });

  it('takes the pool size and timeouts from its options, and lets the URL override them', () => {
    const transport = createSmtpTransport({ smtpUrl: 'smtps://mail.example?socketTimeout=5000', maxConnections: 2, socketTimeoutMs: 60_000, connectionTimeoutMs: 3_000 });
    try {
      expect(transportOptions(transport)).toMatchObject({ kind: 'SMTPPool', secure: true, maxConnections: 2, connectionTimeout: 3_000, socketTimeout: 5_000 });
    } finally {
      transport.close();
    }
  });
});
