import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { createTransport } from 'nodemailer';

import { HOST, PATHS, PORTS, REPO_ROOT } from '../config';
import { ensureDir, withTimeout } from '../proc';
import type { LocalService } from './types';

const SOURCE = path.join(REPO_ROOT, 'scripts', 'infra', 'mail-catcher.ts');
const COMPILED = path.join(PATHS.build, 'mail-catcher.js');

const mtime = (file: string): number => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;

/**
 * Plain JavaScript starts in ~0.3 s where the tsx loader alone costs ~0.4 s; the catcher
 * imports only packages, so a single-file transpile is a complete build.
 */
async function compile(): Promise<void> {
  const ts = await import('typescript');
  const output = ts.transpileModule(fs.readFileSync(SOURCE, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: SOURCE,
  });
  ensureDir(PATHS.build);
  const temp = `${COMPILED}.tmp-${process.pid}`;
  fs.writeFileSync(temp, output.outputText);
  fs.renameSync(temp, COMPILED);
}

function hostPort(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: parsed.port ? Number(parsed.port) : defaultPort };
}

/** Reads the SMTP greeting: a listening socket alone could be anything. */
function smtpGreets(url: string, timeoutMs: number): Promise<boolean> {
  const { host, port } = hostPort(url, 25);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('data', (data: Buffer) => done(data.toString('latin1').startsWith('220')));
    socket.once('error', () => done(false));
  });
}

async function mailboxAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/v1/messages?limit=1`, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as { total?: unknown };
    return res.ok && typeof body.total === 'number';
  } catch {
    return false;
  }
}

async function probe(env: Record<string, string>): Promise<boolean> {
  const [smtp, mailbox] = await Promise.all([
    smtpGreets(env.SMTP_URL, 2000),
    env.MAILBOX_URL ? mailboxAnswers(env.MAILBOX_URL) : Promise.resolve(true),
  ]);
  return smtp && mailbox;
}

interface Summary {
  ID: string;
  Subject: string;
}

/** Sends one message over SMTP and reads it back through the Mailpit-style API. */
async function verify(env: Record<string, string>): Promise<string[]> {
  const { host, port } = hostPort(env.SMTP_URL, 25);
  const transport = createTransport({ host, port, secure: false, ignoreTLS: true });
  const subject = `infra selftest ${Date.now()}`;
  try {
    await transport.sendMail({ from: 'selftest@example.test', to: 'someone@example.test', subject, text: 'hello' });
  } finally {
    transport.close();
  }
  const checks = ['SMTP delivery'];
  if (!env.MAILBOX_URL) return checks;
  const api = env.MAILBOX_URL;
  const found = await withTimeout(
    (async (): Promise<Summary> => {
      for (;;) {
        const list = (await (await fetch(`${api}/api/v1/messages?limit=50`)).json()) as { messages: Summary[] };
        const hit = list.messages.find((m) => m.Subject === subject);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 100));
      }
    })(),
    10_000,
    'waiting for the message in the mailbox API',
  );
  const message = (await (await fetch(`${api}/api/v1/message/${found.ID}`)).json()) as { Text: string };
  if (message.Text.trim() !== 'hello') throw new Error(`message text is ${JSON.stringify(message.Text)}`);
  const headers = (await (await fetch(`${api}/api/v1/message/${found.ID}/headers`)).json()) as Record<string, string[]>;
  if (headers.Subject?.[0] !== subject) throw new Error(`headers endpoint returned ${JSON.stringify(headers.Subject)}`);
  const raw = await (await fetch(`${api}/api/v1/message/${found.ID}/raw`)).text();
  if (!raw.includes(subject)) throw new Error('raw endpoint does not contain the message');
  await fetch(`${api}/api/v1/messages`, { method: 'DELETE', body: JSON.stringify({ IDs: [found.ID] }) });
  return [...checks, 'list', 'message', 'headers', 'raw', 'delete by ID'];
}

export const smtp: LocalService = {
  name: 'smtp',
  label: 'mail catcher (SMTP + Mailpit-compatible API)',
  ports: [PORTS.smtp, PORTS.mailbox],
  address: `smtp://${HOST}:${PORTS.smtp} + http://${HOST}:${PORTS.mailbox}`,
  startTimeoutMs: 15_000,
  stopTimeoutMs: 5_000,

  isBuilt: () => mtime(COMPILED) >= mtime(SOURCE),
  build: compile,
  async prepare() {},

  command: () => ({
    cmd: process.execPath,
    args: [COMPILED],
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      MAIL_CATCHER_HOST: HOST,
      MAIL_CATCHER_SMTP_PORT: String(PORTS.smtp),
      MAIL_CATCHER_HTTP_PORT: String(PORTS.mailbox),
      NODE_OPTIONS: undefined,
    },
  }),

  isOurs: (argv) => argv.includes(COMPILED),

  probe,
  verify,
};
