import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One email as the SMTP server accepted it. */
export interface AcceptedMail {
  /** Epoch ms at which the server answered 250 to the end of DATA. */
  acceptedAt: number;
  /** Envelope recipients (RCPT TO), lower-cased. */
  recipients: string[];
  envelopeFrom: string;
  /** The Message-ID header without angle brackets, '' when absent. */
  messageId: string;
  /** X-Conversation-Alias-Notification: the delivery id of a notification. */
  deliveryId: string | null;
  /** The first token of `tokenPattern` found in the decoded text, null when none. */
  token: string | null;
  bytes: number;
}

/**
 * An SMTP server in the bench process that accepts every email and records when it accepted
 * it: the end of the notification path. Nothing is kept but the summary of each email.
 */
export class SmtpRecorder {
  private listeners: ((mail: AcceptedMail) => void)[] = [];
  accepted = 0;

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(options: { tokenPattern: RegExp; port?: number; host?: string }): Promise<SmtpRecorder> {
    const host = options.host ?? '127.0.0.1';
    let recorder: SmtpRecorder | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      size: 50 * 1024 * 1024,
      maxClients: 1000,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const mail = parseAcceptedMail(raw, options.tokenPattern, {
            recipients: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          });
          mail.acceptedAt = Date.now();
          callback();
          recorder?.record(mail);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    server.on('error', () => undefined);
    const port = (server.server.address() as AddressInfo).port;
    recorder = new SmtpRecorder(server, port);
    return recorder;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  onMail(listener: (mail: AcceptedMail) => void): () => void {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }

  private record(mail: AcceptedMail): void {
    this.accepted++;
    for (const listener of this.listeners) listener(mail);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Summarises one raw email: the headers a notification is matched by, and the token found in its
 * text (quoted-printable soft line breaks removed first, so a wrapped line still matches).
 */
export function parseAcceptedMail(raw: string, tokenPattern: RegExp, envelope: { recipients: string[]; envelopeFrom: string }): AcceptedMail {
  const split = raw.search(/\r?\n\r?\n/);
  const head = (split < 0 ? raw : raw.slice(0, split)).replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string): string | null => {
    const match = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head);
    return match ? match[1].trim() : null;
  };
  const body = split < 0 ? '' : raw.slice(split).replace(/=\r?\n/g, '');
  const token = tokenPattern.exec(body)?.[0] ?? null;
  return {
    acceptedAt: 0,
    recipients: envelope.recipients,
    envelopeFrom: envelope.envelopeFrom,
    messageId: (header('Message-ID') ?? '').replace(/^<|>$/g, ''),
    deliveryId: header('X-Conversation-Alias-Notification'),
    token,
    bytes: Buffer.byteLength(raw),
  };
}
