/**
 * The load: emails posted to the gateway's Mailgun webhook at a steady rate (open loop: a slow
 * or absent gateway does not slow the arrivals), each retried like Mailgun retries a webhook
 * until it gets a 2xx.
 */
import { mailgunForm } from '../../test/support/mailgun';
import type { SentEmail } from './verify';

/** What to post: the raw email, to whom it is addressed, who sent it. */
export interface EmailToPost {
  token: string;
  conversationId: string;
  /** The sender's address (the expected author). */
  from: string;
  /** The envelope recipient: the sender's alias in the conversation. */
  alias: string;
  messageId: string;
  raw: Buffer;
}

export interface OutgoingEmail extends SentEmail {
  alias: string;
  messageId: string;
  /** The gateway's id of the inbound email, from its 2xx answer. */
  inboundId?: string;
  lastAnswer?: string;
}

export interface SenderOptions {
  gatewayUrl: () => string;
  rate: number;
  /** How long a request may take before it counts as unanswered. */
  requestTimeoutMs?: number;
  /** First retry delay; it doubles up to `maxRetryDelayMs`, with jitter. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

/** The delay before retry `attempt` (1 = the first retry): exponential, capped, with full jitter on its upper half. */
export function retryDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export class MailgunSender {
  readonly emails: OutgoingEmail[] = [];
  /** Answers by status ("no answer" for a failed or timed-out request). */
  readonly answers = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private ticker?: NodeJS.Timeout;
  private stopped = false;
  private giveUpAt = Infinity;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly options: SenderOptions,
    /** Email number n of the run. */
    private readonly emailOf: (n: number) => EmailToPost,
  ) {}

  get acknowledged(): number {
    return this.emails.filter((e) => e.ackedAt !== undefined).length;
  }

  get pending(): number {
    return this.emails.length - this.acknowledged;
  }

  /** Posts `rate` emails a second for `durationMs`, then resolves (retries go on until `finish`). */
  run(durationMs: number): Promise<void> {
    const started = Date.now();
    const total = Math.round((durationMs / 1000) * this.options.rate);
    return new Promise((resolve) => {
      this.ticker = setInterval(() => {
        const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * this.options.rate) + 1);
        while (this.emails.length < due && !this.stopped) this.launch(this.emails.length);
        if (this.emails.length >= total || this.stopped) {
          clearInterval(this.ticker);
          resolve();
        }
      }, 10);
    });
  }

  /** Waits until every email is acknowledged or `deadline` (epoch ms) passes; then stops retrying. */
  async finish(deadline: number): Promise<void> {
    this.giveUpAt = deadline;
    while (this.pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private launch(n: number): void {
    const { raw, ...fields } = this.emailOf(n);
    const email: OutgoingEmail = { ...fields, attempts: 0 };
    this.emails.push(email);
    // The raw email lives only in the retry chain, so acknowledged emails do not pile up in memory.
    this.attempt(email, raw);
  }

  private attempt(email: OutgoingEmail, raw: Buffer): void {
    if (this.stopped) return;
    email.attempts++;
    const task = this.post(email, raw).then((ok) => {
      if (ok || this.stopped) return;
      const delay = retryDelay(email.attempts, this.options.retryDelayMs ?? 500, this.options.maxRetryDelayMs ?? 8_000);
      if (Date.now() + delay > this.giveUpAt) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.attempt(email, raw);
      }, delay);
      this.timers.add(timer);
    });
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  private async post(email: OutgoingEmail, raw: Buffer): Promise<boolean> {
    // A fresh signature per attempt, as Mailgun signs each delivery attempt.
    const form = mailgunForm(raw, { recipient: email.alias, sender: email.from });
    let answer: string;
    try {
      const response = await fetch(`${this.options.gatewayUrl()}/inbound/mailgun/mime`, {
        method: 'POST',
        headers: { 'content-type': form.contentType },
        body: form.body,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000),
      });
      const text = await response.text();
      answer = String(response.status);
      if (response.ok) {
        email.ackedAt ??= Date.now();
        try {
          email.inboundId = (JSON.parse(text) as { id?: string }).id;
        } catch {
          // an unreadable body does not undo the acknowledgement
        }
      }
    } catch {
      answer = 'no answer';
    }
    email.lastAnswer = answer;
    this.answers.set(answer, (this.answers.get(answer) ?? 0) + 1);
    return email.ackedAt !== undefined;
  }

  /** Stops launching and retrying at once (on abort). */
  abort(): void {
    this.stopped = true;
    if (this.ticker) clearInterval(this.ticker);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
