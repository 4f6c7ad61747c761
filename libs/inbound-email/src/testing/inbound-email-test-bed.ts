import { Test } from '@nestjs/testing';
import { CommandBus, CqrsModule, QueryBus } from '@nestjs/cqrs';
import { BLOB_STORE } from '@libs/blob-store';
import { MetricsService } from '@libs/observability';
import { Circuit, RECORDS_CIRCUIT } from '../application/circuit';
import { INBOUND_EMAIL_HANDLERS } from '../application/handlers';
import { InboundEmailLedger } from '../application/inbound-email-ledger';
import { MailgunWebhookVerifier } from '../application/mailgun/mailgun-webhook-verifier';
import { INBOUND_EMAIL_QUEUE } from '../domain/inbound-email-queue.port';
import { INBOUND_EMAIL_REPOSITORY } from '../domain/inbound-email-repository.port';
import { MAILGUN_TOKEN_STORE } from '../domain/mailgun-token-store.port';
import { INBOUND_CLOCK, INBOUND_EMAIL_OPTIONS, InboundClock, InboundEmailOptions, resolveInboundEmailOptions } from '../inbound-email.options';
import { InMemoryBlobStore } from './in-memory-blob-store';
import { InMemoryInboundEmailRepository } from './in-memory-inbound-email.repository';
import { InMemoryMailgunTokenStore } from './in-memory-mailgun-token.store';
import { RecordingInboundEmailQueue } from './recording-inbound-email.queue';

export class MovableInboundClock implements InboundClock {
  constructor(private current = new Date('2026-03-04T09:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const TEST_SIGNING_KEY = 'test-mailgun-signing-key-0123456789';

/** The lib's handlers and verifier over in-memory fakes of every port, for specs. */
export async function inboundEmailTestBed(options: InboundEmailOptions = {}) {
  const repository = new InMemoryInboundEmailRepository();
  const blobs = new InMemoryBlobStore();
  const queue = new RecordingInboundEmailQueue();
  const tokens = new InMemoryMailgunTokenStore();
  const clock = new MovableInboundClock();
  const resolved = resolveInboundEmailOptions({
    dependencyTimeoutMs: 200,
    recordTimeoutMs: 100,
    mailgun: { signingKey: TEST_SIGNING_KEY },
    ...options,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [CqrsModule.forRoot()],
    providers: [
      { provide: INBOUND_EMAIL_OPTIONS, useValue: resolved },
      { provide: INBOUND_CLOCK, useValue: clock },
      { provide: RECORDS_CIRCUIT, useValue: new Circuit('MongoDB', resolved.recordRetryAfterMs, () => clock.now().getTime()) },
      { provide: INBOUND_EMAIL_REPOSITORY, useValue: repository },
      { provide: MAILGUN_TOKEN_STORE, useValue: tokens },
      { provide: INBOUND_EMAIL_QUEUE, useValue: queue },
      { provide: BLOB_STORE, useValue: blobs },
      { provide: MetricsService, useValue: new MetricsService() },
      InboundEmailLedger,
      MailgunWebhookVerifier,
      ...INBOUND_EMAIL_HANDLERS,
    ],
  }).compile();
  await moduleRef.init();
  return {
    repository,
    blobs,
    queue,
    tokens,
    clock,
    options: resolved,
    commands: moduleRef.get(CommandBus),
    queries: moduleRef.get(QueryBus),
    verifier: moduleRef.get(MailgunWebhookVerifier),
    metrics: moduleRef.get(MetricsService),
    close: () => moduleRef.close(),
  };
}

/** A small well-formed email; `extra` header lines go on top. */
export function rawEmail(options: { messageId?: string; body?: string; extra?: string[] } = {}): Buffer {
  const lines = [
    ...(options.extra ?? []),
    'From: Jane Candidate <jane@example.com>',
    'To: employer-abc@relay.example.com',
    'Subject: Re: Interview',
    'Date: Wed, 04 Mar 2026 09:00:00 +0000',
    `Message-ID: <${options.messageId ?? 'm1'}@example.com>`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    options.body ?? 'Thursday works for me.',
    '',
  ];
  return Buffer.from(lines.join('\r\n'));
}
