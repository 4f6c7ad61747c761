/**
 * A real SMTP server that keeps every message in memory and exposes it through a subset of
 * Mailpit's HTTP API (https://mailpit.axllent.org/docs/api-v1/), so tests written against the
 * Mailpit container of docker-compose.yml run unchanged against this process.
 *
 * Run: node --import tsx scripts/infra/mail-catcher.ts, or let `npm run infra -- up` start a
 * transpiled copy (.infra/build/mail-catcher.js) detached.
 * Env: MAIL_CATCHER_HOST, MAIL_CATCHER_SMTP_PORT, MAIL_CATCHER_HTTP_PORT, MAIL_CATCHER_MAX_MESSAGES
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';

import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

const HOST = process.env.MAIL_CATCHER_HOST ?? '127.0.0.1';
const SMTP_PORT = Number(process.env.MAIL_CATCHER_SMTP_PORT ?? 1025);
const HTTP_PORT = Number(process.env.MAIL_CATCHER_HTTP_PORT ?? 8025);
const MAX_MESSAGES = Number(process.env.MAIL_CATCHER_MAX_MESSAGES ?? 10_000);
const MAX_MESSAGE_BYTES = 50 * 1024 * 1024;

// ---------------------------------------------------------------------------
// store

interface Address {
  Name: string;
  Address: string;
}

interface StoredMessage {
  id: string;
  created: Date;
  raw: Buffer;
  mail: ParsedMail;
  envelope: { From: string; To: string[] };
  username: string;
  read: boolean;
}

/** Oldest first; the API lists newest first like Mailpit. */
const messages: StoredMessage[] = [];
const byId = new Map<string, StoredMessage>();

function store(message: StoredMessage): void {
  messages.push(message);
  byId.set(message.id, message);
  while (messages.length > MAX_MESSAGES) {
    const dropped = messages.shift();
    if (dropped) byId.delete(dropped.id);
  }
}

function remove(ids: ReadonlySet<string>): void {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (ids.has(messages[i].id)) {
      byId.delete(messages[i].id);
      messages.splice(i, 1);
    }
  }
}

function clear(): void {
  messages.length = 0;
  byId.clear();
}

/** 22 url-safe characters, the length of Mailpit's short UUIDs. */
const newId = (): string => randomBytes(16).toString('base64url');

// ---------------------------------------------------------------------------
// Mailpit-shaped JSON

function addresses(field: AddressObject | AddressObject[] | undefined): Address[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  const out: Address[] = [];
  for (const object of objects) {
    for (const entry of object.value) {
      const members = entry.group ?? [entry];
      for (const member of members) out.push({ Name: member.name ?? '', Address: member.address ?? '' });
    }
  }
  return out;
}

const sameAddress = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Envelope recipients that no To/Cc/Bcc header names are listed as Bcc, as Mailpit does:
 * that is how a test sees who really received a blind copy.
 */
function bcc(message: StoredMessage): Address[] {
  const { mail } = message;
  const listed = [...addresses(mail.to), ...addresses(mail.cc), ...addresses(mail.bcc)];
  const hidden = message.envelope.To.filter((rcpt) => !listed.some((a) => sameAddress(a.Address, rcpt)));
  return [...addresses(mail.bcc), ...hidden.map((rcpt) => ({ Name: '', Address: rcpt }))];
}

function fromAddress(mail: ParsedMail): Address {
  return addresses(mail.from)[0] ?? { Name: '', Address: '' };
}

const messageId = (mail: ParsedMail): string => (mail.messageId ?? '').replace(/^<|>$/g, '');

function snippet(mail: ParsedMail): string {
  const source = mail.text ?? (mail.html ? mail.html.replace(/<style[\s\S]*?<\/style>|<[^>]+>/gi, ' ') : '');
  const text = source.replace(/\s+/g, ' ').trim();
  return text.length > 250 ? `${text.slice(0, 250)}...` : text;
}

function isInline(attachment: Attachment): boolean {
  return attachment.related || attachment.contentDisposition === 'inline';
}

function partId(message: StoredMessage, attachment: Attachment): string {
  return attachment.partId ?? String(message.mail.attachments.indexOf(attachment) + 1);
}

function attachmentSummary(message: StoredMessage, attachment: Attachment): Record<string, unknown> {
  return {
    PartID: partId(message, attachment),
    FileName: attachment.filename ?? attachment.cid ?? '',
    ContentType: attachment.contentType,
    ContentID: attachment.cid ?? '',
    Size: attachment.size,
  };
}

function summary(message: StoredMessage): Record<string, unknown> {
  const { mail } = message;
  return {
    ID: message.id,
    MessageID: messageId(mail),
    Read: message.read,
    From: fromAddress(mail),
    To: addresses(mail.to),
    Cc: addresses(mail.cc),
    Bcc: bcc(message),
    ReplyTo: addresses(mail.replyTo),
    Subject: mail.subject ?? '',
    Created: message.created.toISOString(),
    Username: message.username,
    Tags: [],
    Size: message.raw.length,
    Attachments: mail.attachments.filter((a) => !isInline(a)).length,
    Snippet: snippet(mail),
    // Not in Mailpit: the SMTP envelope, which is what a relay actually delivered to.
    Envelope: message.envelope,
  };
}

function detail(message: StoredMessage): Record<string, unknown> {
  const { mail } = message;
  const returnPath = mail.headers.get('return-path');
  return {
    ...summary(message),
    ReturnPath: typeof returnPath === 'string' ? returnPath.replace(/^<|>$/g, '') : fromAddress(mail).Address,
    ListUnsubscribe: { Header: '', Links: [], Errors: '', HeaderPost: '' },
    Date: (mail.date ?? message.created).toISOString(),
    Text: mail.text ?? '',
    HTML: mail.html || '',
    Inline: mail.attachments.filter(isInline).map((a) => attachmentSummary(message, a)),
    Attachments: mail.attachments.filter((a) => !isInline(a)).map((a) => attachmentSummary(message, a)),
  };
}

/** Go's textproto canonical form ("message-id" -> "Message-Id"), which Mailpit's header map uses. */
function canonicalHeader(key: string): string {
  return key
    .toLowerCase()
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('-');
}

function headers(message: StoredMessage): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { key, line } of message.mail.headerLines) {
    const value = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    (out[canonicalHeader(key)] ??= []).push(value);
  }
  return out;
}

function list(found: StoredMessage[], start: number, limit: number): Record<string, unknown> {
  const newestFirst = [...found].reverse();
  const page = newestFirst.slice(start, start + limit);
  return {
    total: messages.length,
    unread: messages.filter((m) => !m.read).length,
    count: page.length,
    messages_count: found.length,
    messages_unread: found.filter((m) => !m.read).length,
    start,
    tags: [],
    messages: page.map(summary),
  };
}

// ---------------------------------------------------------------------------
// search: the common part of Mailpit's syntax (to:, from:, cc:, bcc:, subject:, message-id:, free text)

function searchTerms(query: string): string[] {
  return (query.match(/(?:[^\s"]+:)?"[^"]*"|\S+/g) ?? []).map((t) => t.replace(/"/g, '').toLowerCase());
}

function matches(message: StoredMessage, term: string): boolean {
  const negate = term.startsWith('-') || term.startsWith('!');
  const t = negate ? term.slice(1) : term;
  const [field, value] = t.includes(':') ? [t.slice(0, t.indexOf(':')), t.slice(t.indexOf(':') + 1)] : ['', t];
  const { mail } = message;
  const joined = (list: Address[]): string => list.map((a) => `${a.Name} <${a.Address}>`).join(', ').toLowerCase();
  let hit: boolean;
  switch (field) {
    case 'to':
      hit = joined(addresses(mail.to)).includes(value) || message.envelope.To.some((r) => r.toLowerCase().includes(value));
      break;
    case 'from':
      hit = joined([fromAddress(mail)]).includes(value);
      break;
    case 'cc':
      hit = joined(addresses(mail.cc)).includes(value);
      break;
    case 'bcc':
      hit = joined(bcc(message)).includes(value);
      break;
    case 'subject':
      hit = (mail.subject ?? '').toLowerCase().includes(value);
      break;
    case 'message-id':
      hit = messageId(mail).toLowerCase() === value.replace(/^<|>$/g, '');
      break;
    case 'is':
      hit = value === 'read' ? message.read : value === 'unread' ? !message.read : false;
      break;
    default:
      hit = `${mail.subject ?? ''}\n${mail.text ?? ''}\n${mail.html || ''}\n${joined(addresses(mail.to))}\n${joined([fromAddress(mail)])}`
        .toLowerCase()
        .includes(t);
  }
  return negate ? !hit : hit;
}

function search(query: string): StoredMessage[] {
  const terms = searchTerms(query);
  return messages.filter((m) => terms.every((term) => matches(m, term)));
}

// ---------------------------------------------------------------------------
// HTTP

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, params: string[], url: URL) => Promise<void> | void;

function send(res: http.ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Access-Control-Allow-Origin': '*' });
  res.end(body);
}

const json = (res: http.ServerResponse, body: unknown, status = 200): void =>
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function findMessage(id: string, res: http.ServerResponse): StoredMessage | undefined {
  const message = id === 'latest' ? messages[messages.length - 1] : byId.get(id);
  if (!message) send(res, 404, 'message not found');
  return message;
}

function intParam(url: URL, name: string, fallback: number): number {
  const value = Number(url.searchParams.get(name));
  return Number.isInteger(value) && value >= 0 && url.searchParams.has(name) ? value : fallback;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function inboxPage(): string {
  const rows = [...messages]
    .reverse()
    .slice(0, 500)
    .map((m) => {
      const s = summary(m) as { From: Address; To: Address[]; Subject: string; Created: string };
      return `<tr><td>${escapeHtml(s.Created)}</td><td>${escapeHtml(s.From.Address)}</td><td>${escapeHtml(
        m.envelope.To.join(', '),
      )}</td><td><a href="/view/${m.id}">${escapeHtml(s.Subject || '(no subject)')}</a></td></tr>`;
    })
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Mail catcher</title>
<style>body{font:14px sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}</style>
</head><body><h1>Mail catcher: ${messages.length} message(s)</h1>
<p>SMTP on ${HOST}:${SMTP_PORT}. API: <a href="/api/v1/messages">/api/v1/messages</a> (Mailpit-compatible subset).</p>
<table><tr><th>Received</th><th>From</th><th>Envelope to</th><th>Subject</th></tr>
${rows}
</table></body></html>`;
}

function messagePage(message: StoredMessage): string {
  const d = detail(message) as { Subject: string; Text: string; From: Address; Date: string };
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(d.Subject)}</title></head>
<body style="font:14px sans-serif;margin:2em"><p><a href="/">&larr; inbox</a> · <a href="/api/v1/message/${message.id}/raw">raw</a> ·
<a href="/api/v1/message/${message.id}">json</a></p><h2>${escapeHtml(d.Subject)}</h2>
<p>From ${escapeHtml(d.From.Address)} to ${escapeHtml(message.envelope.To.join(', '))} on ${escapeHtml(d.Date)}</p>
<pre style="white-space:pre-wrap">${escapeHtml(d.Text)}</pre></body></html>`;
}

const routes: Array<[string, RegExp, Handler]> = [
  ['GET', /^\/$/, (_req, res) => send(res, 200, inboxPage(), 'text/html; charset=utf-8')],
  ['GET', /^\/view\/([^/]+)$/, (_req, res, [id]) => {
    const message = findMessage(id, res);
    if (message) send(res, 200, messagePage(message), 'text/html; charset=utf-8');
  }],
  ['GET', /^\/(?:livez|readyz)$/, (_req, res) => send(res, 200, 'ok')],
  ['GET', /^\/api\/v1\/info$/, (_req, res) =>
    json(res, { Version: 'conversation-alias mail-catcher', Messages: messages.length, Unread: messages.filter((m) => !m.read).length })],
  ['GET', /^\/api\/v1\/messages$/, (_req, res, _p, url) => json(res, list(messages, intParam(url, 'start', 0), intParam(url, 'limit', 50)))],
  ['DELETE', /^\/api\/v1\/messages$/, async (req, res) => {
    const body = (await readBody(req)).trim();
    const ids = body ? ((JSON.parse(body) as { IDs?: string[] }).IDs ?? []) : [];
    if (ids.length === 0) clear();
    else remove(new Set(ids));
    send(res, 200, 'ok');
  }],
  ['GET', /^\/api\/v1\/search$/, (_req, res, _p, url) =>
    json(res, list(search(url.searchParams.get('query') ?? ''), intParam(url, 'start', 0), intParam(url, 'limit', 50)))],
  ['DELETE', /^\/api\/v1\/search$/, (_req, res, _p, url) => {
    remove(new Set(search(url.searchParams.get('query') ?? '').map((m) => m.id)));
    send(res, 200, 'ok');
  }],
  ['GET', /^\/api\/v1\/message\/([^/]+)$/, (_req, res, [id]) => {
    const message = findMessage(id, res);
    if (!message) return;
    message.read = true;
    json(res, detail(message));
  }],
  ['GET', /^\/api\/v1\/message\/([^/]+)\/headers$/, (_req, res, [id]) => {
    const message = findMessage(id, res);
    if (message) json(res, headers(message));
  }],
  ['GET', /^\/api\/v1\/message\/([^/]+)\/raw$/, (_req, res, [id]) => {
    const message = findMessage(id, res);
    if (message) send(res, 200, message.raw);
  }],
  ['GET', /^\/api\/v1\/message\/([^/]+)\/part\/([^/]+)$/, (_req, res, [id, part]) => {
    const message = findMessage(id, res);
    if (!message) return;
    const attachment = message.mail.attachments.find((a) => partId(message, a) === part);
    if (!attachment) return send(res, 404, 'part not found');
    send(res, 200, attachment.content, attachment.contentType);
  }],
];

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? HOST}`);
  for (const [method, pattern, handler] of routes) {
    const match = pattern.exec(url.pathname);
    if (match && req.method === method) return handler(req, res, match.slice(1).map(decodeURIComponent), url);
  }
  send(res, 404, 'not found');
}

// ---------------------------------------------------------------------------
// SMTP

async function receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  if (stream.sizeExceeded) throw Object.assign(new Error('message exceeds the fixed maximum message size'), { responseCode: 552 });
  const raw = Buffer.concat(chunks);
  const mail = await simpleParser(raw, { keepCidLinks: true, skipTextToHtml: true });
  const envelopeFrom = session.envelope.mailFrom;
  const message: StoredMessage = {
    id: newId(),
    created: new Date(),
    raw,
    mail,
    envelope: {
      From: envelopeFrom ? envelopeFrom.address : '',
      To: session.envelope.rcptTo.map((r: SMTPServerAddress) => r.address),
    },
    username: typeof session.user === 'string' ? session.user : '',
    read: false,
  };
  store(message);
  console.log(
    `${message.created.toISOString()} stored ${message.id} from=<${message.envelope.From}> to=<${message.envelope.To.join('>,<')}> ` +
      `size=${raw.length} subject=${JSON.stringify(mail.subject ?? '')}`,
  );
  return message.id;
}

const smtp = new SMTPServer({
  banner: 'conversation-alias mail catcher',
  disabledCommands: ['STARTTLS'],
  authOptional: true,
  allowInsecureAuth: true,
  size: MAX_MESSAGE_BYTES,
  logger: false,
  onAuth(auth, _session, callback) {
    callback(null, { user: auth.username ?? 'anonymous' });
  },
  onData(stream, session, callback) {
    receive(stream, session).then(
      (id) => callback(null, `Ok: queued as ${id}`),
      (error: Error) => {
        console.error(`rejected a message: ${error.message}`);
        callback(error);
      },
    );
  },
});
smtp.on('error', (error) => console.error(`smtp error: ${error.message}`));

const api = http.createServer((req, res) => {
  handle(req, res).catch((error: Error) => {
    console.error(`http ${req.method} ${req.url}: ${error.message}`);
    if (!res.headersSent) send(res, 400, error.message);
  });
});

function fail(what: string, error: NodeJS.ErrnoException): never {
  console.error(`${what}: ${error.message}`);
  process.exit(1);
}

smtp.listen(SMTP_PORT, HOST, () => console.log(`SMTP listening on ${HOST}:${SMTP_PORT}`));
smtp.server.once('error', (error: NodeJS.ErrnoException) => fail(`cannot listen on ${HOST}:${SMTP_PORT}`, error));
api.listen(HTTP_PORT, HOST, () => console.log(`HTTP API listening on http://${HOST}:${HTTP_PORT}`));
api.once('error', (error: NodeJS.ErrnoException) => fail(`cannot listen on ${HOST}:${HTTP_PORT}`, error));

function shutdown(signal: string): void {
  console.log(`${signal}: shutting down`);
  api.close();
  smtp.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
