import { Agent, request } from 'node:http';
import { mailgunForm, mailgunSignature } from '../../test/support/mailgun';

export interface IngressAnswer {
  status: number;
  /** The inbound email id of a 2xx answer. */
  id?: string;
  /** 'timeout', 'network' or 'http-<status>' when not 2xx. */
  error?: string;
}

/**
 * Posts emails to the gateway's Mailgun webhook (`/inbound/mailgun/mime`), each with a fresh,
 * correctly signed timestamp/token, over kept-alive connections.
 */
export class MailgunIngressClient {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(
    gatewayUrl: string,
    private readonly signingKey: string,
    options: { maxSockets: number; timeoutMs: number },
    private readonly timeoutMs = options.timeoutMs,
  ) {
    this.url = new URL('/inbound/mailgun/mime', gatewayUrl);
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets, maxFreeSockets: options.maxSockets });
  }

  post(raw: Buffer, envelope: { recipient: string; sender: string }): Promise<IngressAnswer> {
    const form = mailgunForm(raw, { ...envelope, signature: mailgunSignature({ key: this.signingKey }) });
    return new Promise((resolve) => {
      let settled = false;
      const done = (answer: IngressAnswer) => {
        if (settled) return;
        settled = true;
        resolve(answer);
      };
      const req = request(
        this.url,
        { method: 'POST', agent: this.agent, headers: { 'content-type': form.contentType, 'content-length': form.body.length } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              let id: string | undefined;
              try {
                id = (JSON.parse(Buffer.concat(chunks).toString()) as { id?: string }).id;
              } catch {
                id = undefined;
              }
              done({ status, id });
            } else done({ status, error: `http-${status}` });
          });
          res.on('error', () => done({ status: 0, error: 'network' }));
        },
      );
      req.setTimeout(this.timeoutMs, () => {
        done({ status: 0, error: 'timeout' });
        req.destroy();
      });
      req.on('error', () => done({ status: 0, error: 'network' }));
      req.end(form.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
