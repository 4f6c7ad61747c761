import { AddressInfo, createServer } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { PermanentDeliveryError, TransientDeliveryError } from '../../libs/notifications/src/domain/delivery.errors';
import { composeEmail, parseBounceAddress, SmtpEmailSender, TemplateRenderer, verifyUnsubscribeToken } from '../../libs/notifications/src/email';
import { appEnv, runId } from '../support/env';
import { Mailbox } from '../support/mailbox';

/**
 * The SMTP adapter against a real SMTP server (the local catcher, read back through its
 * Mailpit-compatible API): what a mail client receives is what the composer meant.
 */
const env = appEnv();
const smtpUrl = env.SMTP_URL ?? 'smtp://127.0.0.1:1025';
const mailboxUrl = env.MAILBOX_URL ?? 'http://127.0.0.1:8025';
const options = {
  domain: 'relay.e2e.example',
  fromAddress: 'notifications@relay.e2e.example',
  publicUrl: 'http://127.0.0.1:3000',
  secret: 'e2e-notifier-secret',
  renderer: new TemplateRenderer({}),
};

interface MessageDetail {
  From: { Name: string; Address: string };
  Subject: string;
  Text: string;
  HTML: string;
  Envelope: { From: string; To: string[] };
}

async function waitForMessageTo(mailbox: Mailbox, address: string): Promise<string> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const [message] = await mailbox.to(address);
    if (message) return message.ID;
  }
  throw new Error(`No email reached ${address}`);
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('SmtpEmailSender against a real SMTP server', () => {
  const sender = new SmtpEmailSender({ smtpUrl });
  afterAll(() => sender.onApplicationShutdown());

  it('delivers a composed notification with its threading, Reply-To, list headers and VERP envelope', async () => {
    const recipient = `${runId('notify')}@acme.example`;
    const deliveryId = runId('d').replace(/[^a-z0-9_-]/g, '');
    const email = composeEmail(
      {
        kind: 'new-message',
        deliveryId,
        conversation: { id: 'conv-e2e-1', subject: 'Senior engineer role', useCase: 'recruiting' },
        recipient: { participantId: 'p-bob', email: recipient, displayName: 'Bob Smith', alias: 'bob.x7k2@relay.e2e.example' },
        author: { displayName: 'Jane "JD" Doe' },
        message: { body: 'Hello Bob,\nare you free on <Tuesday>?', createdAt: new Date(), attachments: [{ filename: 'cv.pdf', size: 2048 }] },
      },
      options,
    );

    const result = await sender.send(email);
    expect(result).toEqual({ accepted: true, response: expect.stringMatching(/^250 /) });

    const mailbox = new Mailbox(mailboxUrl);
    const id = await waitForMessageTo(mailbox, recipient);
    const headers = await mailbox.headers(id);
    const detail = (await (await fetch(`${mailboxUrl}/api/v1/message/${id}`)).json()) as MessageDetail;

    const root = '<conversation.conv-e2e-1.p-bob@relay.e2e.example>';
    expect(headers['Message-Id']).toEqual([`<n.${deliveryId}@relay.e2e.example>`]);
    expect(headers['In-Reply-To']).toEqual([root]);
    expect(headers['References']).toEqual([root]);
    expect(headers['Reply-To']).toEqual(['bob.x7k2@relay.e2e.example']);
    expect(headers['Auto-Submitted']).toEqual(['auto-generated']);
    expect(headers['X-Auto-Response-Suppress']).toEqual(['All']);
    expect(headers['X-Conversation-Alias-Notification']).toEqual([deliveryId]);
    expect(headers['List-Id']).toEqual(['<conv-e2e-1.conversations.relay.e2e.example>']);
    expect(headers['List-Unsubscribe-Post']).toEqual(['List-Unsubscribe=One-Click']);
    expect(headers['Precedence']).toBeUndefined();

    const [listUnsubscribe] = headers['List-Unsubscribe'];
    const token = /^<http:\/\/127\.0\.0\.1:3000\/notifications\/unsubscribe\?token=([^>]+)>$/.exec(listUnsubscribe)?.[1];
    expect(verifyUnsubscribeToken(decodeURIComponent(token ?? ''), options.secret)).toEqual({ conversationId: 'conv-e2e-1', participantId: 'p-bob', channel: 'email' });

    expect(detail.Envelope.From).toBe(email.envelopeFrom);
    expect(parseBounceAddress(detail.Envelope.From, options)).toBe(deliveryId);
    expect(detail.Envelope.To).toEqual([recipient]);
    expect(detail.From).toEqual({ Name: 'Jane JD Doe', Address: 'notifications@relay.e2e.example' });
    expect(detail.Subject).toBe('Re: Senior engineer role');
    // Sanitized in the From header only: the body shows the name as the author wrote it.
    expect(detail.Text).toContain('Jane "JD" Doe wrote:');
    expect(detail.Text).toContain('Hello Bob,\nare you free on <Tuesday>?');
    expect(detail.Text).toContain('- cv.pdf (2.0 KB)');
    expect(detail.Text).toContain('Reply to this email to answer in the conversation.');
    expect(detail.HTML).toContain('Hello Bob,<br>\nare you free on &lt;Tuesday&gt;?');
    expect(detail.HTML).toContain('Stop email notifications for this conversation</a>');
  });

  it('reports a closed port as worth another attempt', async () => {
    const unreachable = new SmtpEmailSender({ smtpUrl: `smtp://127.0.0.1:${await closedPort()}`, connectionTimeoutMs: 2_000 });
    try {
      const email = composeEmail(
        {
          kind: 'reminder',
          deliveryId: 'dclosedport',
          conversation: { id: 'conv-e2e-2', subject: 'Anything', useCase: null },
          recipient: { participantId: 'p1', email: 'bob@acme.example', displayName: 'Bob', alias: null },
          reminder: { unreadCount: 1, stage: 1, oldestUnreadAt: null },
        },
        options,
      );
      const failure = await unreachable.send(email).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TransientDeliveryError);
      expect((failure as Error).message).toMatch(/ECONNREFUSED/);
    } finally {
      unreachable.onApplicationShutdown();
    }
  });

  describe('with a server that refuses recipients', () => {
    let server: SMTPServer;
    let refusing: SmtpEmailSender;

    beforeAll(async () => {
      server = new SMTPServer({
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onRcptTo(address, _session, callback) {
          if (address.address.startsWith('unknown')) return callback(Object.assign(new Error('5.1.1 User unknown'), { responseCode: 550 }));
          if (address.address.startsWith('greylisted')) return callback(Object.assign(new Error('4.7.1 Greylisted, try again later'), { responseCode: 451 }));
          callback();
        },
        onData(stream, _session, callback) {
          stream.resume();
          stream.on('end', () => callback());
        },
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      refusing = new SmtpEmailSender({ smtpUrl: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}` });
    });

    afterAll(async () => {
      refusing.onApplicationShutdown();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    const emailTo = (address: string) =>
      composeEmail(
        {
          kind: 'reminder',
          deliveryId: 'drefused',
          conversation: { id: 'conv-e2e-3', subject: 'Anything', useCase: null },
          recipient: { participantId: 'p1', email: address, displayName: 'Bob', alias: null },
          reminder: { unreadCount: 2, stage: 1, oldestUnreadAt: null },
        },
        options,
      );

    it('fails for good on 550, with the server’s reply', async () => {
      const failure = await refusing.send(emailTo('unknown@acme.example')).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(PermanentDeliveryError);
      expect((failure as Error).message).toMatch(/550 to RCPT TO: 550 5\.1\.1 User unknown/);
    });

    it('retries later on 451', async () => {
      const failure = await refusing.send(emailTo('greylisted@acme.example')).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TransientDeliveryError);
      expect((failure as Error).message).toMatch(/451/);
    });

    it('still sends through the same pool after a refusal', async () => {
      await expect(refusing.send(emailTo('bob@acme.example'))).resolves.toEqual({ accepted: true, response: expect.stringMatching(/^250/) });
    });
  });
});
