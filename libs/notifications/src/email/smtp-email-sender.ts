import { OnApplicationShutdown } from '@nestjs/common';
import { createTransport, SendMailOptions } from 'nodemailer';
import { EmailSender, OutgoingEmail } from '../domain/delivery-ports';
import { PermanentDeliveryError, TransientDeliveryError } from '../domain/delivery.errors';

export interface SmtpEmailSenderOptions {
  /** SMTP_URL, e.g. smtp://user:pass@mail:587. Query parameters of the URL override the defaults below. */
  smtpUrl: string;
  /** Connections kept open to the SMTP server; default 5. */
  maxConnections?: number;
  /** Default 10 s to open the TCP connection. */
  connectionTimeoutMs?: number;
  /** Default 10 s for the server's 220 greeting once connected. */
  greetingTimeoutMs?: number;
  /** Default 30 s of silence on an open connection. */
  socketTimeoutMs?: number;
}

/** The part of a nodemailer transport the sender uses: a fake in tests. */
export interface SmtpTransport {
  sendMail(mail: SendMailOptions): Promise<{ response: string; rejected?: unknown[] }>;
  close(): void;
}

const DEFAULTS = { maxConnections: 5, connectionTimeoutMs: 10_000, greetingTimeoutMs: 10_000, socketTimeoutMs: 30_000 };
const MAX_REASON_CHARS = 300;

/**
 * A pool of SMTP connections. Short timeouts on purpose (nodemailer waits up to 10 minutes by
 * default): a stuck server must turn into a retryable failure while the delivery's lease still
 * holds, not a worker blocked for minutes.
 */
export function createSmtpTransport(options: SmtpEmailSenderOptions): SmtpTransport {
  const url = new URL(options.smtpUrl);
  const defaults: Record<string, number | boolean> = {
    pool: true,
    maxConnections: options.maxConnections ?? DEFAULTS.maxConnections,
    connectionTimeout: options.connectionTimeoutMs ?? DEFAULTS.connectionTimeoutMs,
    greetingTimeout: options.greetingTimeoutMs ?? DEFAULTS.greetingTimeoutMs,
    socketTimeout: options.socketTimeoutMs ?? DEFAULTS.socketTimeoutMs,
    dnsTimeout: options.connectionTimeoutMs ?? DEFAULTS.connectionTimeoutMs,
  };
  // Given as URL parameters: nodemailer reads a connection URL's options from its query and
  // ignores options passed beside it.
  for (const [key, value] of Object.entries(defaults)) if (!url.searchParams.has(key)) url.searchParams.set(key, String(value));
  return createTransport(url.toString());
}

export class SmtpEmailSender implements EmailSender, OnApplicationShutdown {
  private readonly transport: SmtpTransport;

  /** `options`: SMTP_URL alone, or with the pool size and timeouts. */
  constructor(options: string | SmtpEmailSenderOptions, transport?: SmtpTransport) {
    this.transport = transport ?? createSmtpTransport(typeof options === 'string' ? { smtpUrl: options } : options);
  }

  async send(email: OutgoingEmail): Promise<{ accepted: true; response: string }> {
    let info: Awaited<ReturnType<SmtpTransport['sendMail']>>;
    try {
      info = await this.transport.sendMail(toMailOptions(email));
    } catch (error) {
      throw classifySmtpError(error);
    }
    if (info.rejected && info.rejected.length > 0) {
      throw new PermanentDeliveryError(`SMTP server rejected the recipient: ${oneLine(info.response)}`);
    }
    return { accepted: true, response: info.response };
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}

function toMailOptions(email: OutgoingEmail): SendMailOptions {
  return {
    from: { name: email.from.name, address: email.from.address },
    to: { name: email.to.name, address: email.to.address },
    replyTo: email.replyTo ?? undefined,
    subject: email.subject,
    text: email.text,
    html: email.html,
    messageId: email.messageId,
    inReplyTo: email.inReplyTo ?? undefined,
    references: email.references,
    headers: email.headers,
    envelope: { from: email.envelopeFrom, to: email.to.address },
    // Templates render data from people: never let it make nodemailer fetch a URL or read a file.
    disableUrlAccess: true,
    disableFileAccess: true,
  };
}

interface SmtpErrorLike {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  command?: unknown;
  message?: unknown;
}

/** Failures of the connection or of our own account: the server said nothing about this recipient. */
const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ESOCKET',
  'ETIMEDOUT',
  'EDNS',
  'ETLS',
  'EAUTH',
  'EPROTOCOL',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** Refused by nodemailer before anything was sent, for a reason a retry cannot change. */
const INVALID_MESSAGE_CODES = new Set(['EENVELOPE', 'EMESSAGE']);

/**
 * Retry or give up. A 5xx reply to the mail transaction (MAIL FROM, RCPT TO, DATA) is final for
 * this email; 4xx, a lost or refused connection, a timeout, or a refused login are worth
 * another attempt: the next one may reach a server that is back, or a fixed configuration.
 * The error carries the SMTP code and reply, never the email's content.
 */
export function classifySmtpError(error: unknown): TransientDeliveryError | PermanentDeliveryError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SmtpErrorLike;
  const code = typeof e.code === 'string' ? e.code : null;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const command = typeof e.command === 'string' ? ` to ${e.command}` : '';
  const reply = oneLine(typeof e.response === 'string' ? e.response : '');
  const message = oneLine(typeof e.message === 'string' ? e.message : String(error));

  if (responseCode !== null && responseCode >= 500 && responseCode < 600 && !(code && CONNECTION_CODES.has(code))) {
    return new PermanentDeliveryError(`SMTP server refused the email with ${responseCode}${command}: ${reply || message}`, { cause: error });
  }
  if (responseCode === null && code && INVALID_MESSAGE_CODES.has(code)) {
    return new PermanentDeliveryError(`SMTP client refused the email (${code}): ${message}`, { cause: error });
  }
  const what = responseCode !== null ? `${responseCode}${command}` : (code ?? 'error');
  return new TransientDeliveryError(`SMTP server unavailable (${what}): ${reply || message}`, { cause: error });
}

function oneLine(value: string): string {
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length > MAX_REASON_CHARS ? `${line.slice(0, MAX_REASON_CHARS - 1)}…` : line;
}
