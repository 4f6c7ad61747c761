import { createHmac, randomBytes } from 'node:crypto';

/** The key e2e gateways are started with (MAILGUN_SIGNING_KEY). */
export const TEST_MAILGUN_SIGNING_KEY = 'e2e-mailgun-signing-key-0123456789abcdef';

export interface MailgunSignature {
  timestamp: string;
  token: string;
  signature: string;
}

/** A fresh, correctly signed timestamp/token pair, as Mailgun sends with every post. */
export function mailgunSignature(options: { key?: string; timestamp?: number; token?: string } = {}): MailgunSignature {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const token = options.token ?? randomBytes(25).toString('hex');
  const signature = createHmac('sha256', options.key ?? TEST_MAILGUN_SIGNING_KEY).update(timestamp + token).digest('hex');
  return { timestamp, token, signature };
}

export interface MailgunPostOptions {
  recipient?: string;
  sender?: string;
  /** Replaces the signature fields; `null` leaves them all out. */
  signature?: Partial<MailgunSignature> | null;
  /** Further form fields, e.g. `from` or `subject` as Mailgun sends them. */
  fields?: Record<string, string>;
  /** Send body-mime as a file part instead of a plain field. */
  asFile?: boolean;
}

export interface MultipartBody {
  body: Buffer;
  contentType: string;
}

/**
 * Mailgun's forward to a URL ending in "mime": multipart/form-data with the raw message in
 * `body-mime`, kept byte for byte (a Buffer, whatever its charset).
 */
export function mailgunForm(raw: Buffer | string, options: MailgunPostOptions = {}): MultipartBody {
  const signature = options.signature === null ? {} : { ...mailgunSignature(), ...options.signature };
  const fields: [string, string | Buffer][] = [
    ['recipient', options.recipient ?? 'alias@relay.localhost'],
    ['sender', options.sender ?? 'jane@example.com'],
    ...Object.entries(options.fields ?? {}),
    ...Object.entries(signature).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ['body-mime', Buffer.isBuffer(raw) ? raw : Buffer.from(raw)],
  ];
  return multipart(fields, options.asFile ? 'body-mime' : undefined);
}

export function multipart(fields: [string, string | Buffer][], fileField?: string): MultipartBody {
  const boundary = `----e2e${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of fields) {
    const file = name === fileField ? `; filename="message.eml"\r\nContent-Type: message/rfc822` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(value) ? value : Buffer.from(value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface IngressAnswer {
  status: number;
  headers: Headers;
  body: { id?: string; duplicate?: boolean; error?: { code: string; message: string } };
}

/** Posts a Mailgun form to a running gateway. */
export async function postMailgun(baseUrl: string, raw: Buffer | string, options: MailgunPostOptions = {}): Promise<IngressAnswer> {
  const form = mailgunForm(raw, options);
  return postBody(`${baseUrl}/inbound/mailgun/mime`, form.body, { 'content-type': form.contentType });
}

export async function postBody(url: string, body: Buffer, headers: Record<string, string>): Promise<IngressAnswer> {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let parsed: IngressAnswer['body'] = {};
  try {
    parsed = JSON.parse(text) as IngressAnswer['body'];
  } catch {
    parsed = { error: { code: 'NOT_JSON', message: text.slice(0, 500) } };
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** A small well-formed email, unique per call unless `messageId` is given. */
export function testEmail(options: { messageId?: string; to?: string; subject?: string; body?: string; extraHeaders?: string[] } = {}): Buffer {
  const messageId = options.messageId ?? `${randomBytes(8).toString('hex')}@example.com`;
  return Buffer.from(
    [
      ...(options.extraHeaders ?? []),
      'From: Jane Candidate <jane@example.com>',
      `To: ${options.to ?? 'alias@relay.localhost'}`,
      `Subject: ${options.subject ?? 'Re: Interview'}`,
      `Date: ${new Date().toUTCString()}`,
      `Message-ID: <${messageId}>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      options.body ?? 'Thursday works for me.',
      '',
    ].join('\r\n'),
  );
}
