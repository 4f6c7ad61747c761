import { ErrorCategory } from '@libs/contracts';
import { inboundEmailTestBed, rawEmail } from '../../../testing';
import { inboundEmailIdOf } from '../../../domain/inbound-email';
import { InboundEmailErrorCode } from '../../../domain/inbound-email.errors';
import { RecordInboundEmailCommand } from './record-inbound-email.command';

const alias = 'employer-k7q2m9x4p3r8@relay.example.com';

function record(raw: Buffer, recipients: string[] = [alias], sender: string | null = 'jane@example.com') {
  return new RecordInboundEmailCommand(raw, 'mailgun', { sender, recipients }, 'trace-1');
}

describe('RecordInboundEmailHandler', () => {
  it('stores the raw bytes under a content-addressed key, records, queues and marks queued', async () => {
    const { commands, blobs, queue, repository, close } = await inboundEmailTestBed();
    const raw = rawEmail();
    const id = inboundEmailIdOf(raw);

    await expect(commands.execute(record(raw))).resolves.toEqual({ inboundEmailId: id, duplicate: false });

    const key = `inbound/2026/03/04/${id}.eml`;
    expect(blobs.blobs.get(key)?.body.equals(raw)).toBe(true);
    expect(blobs.blobs.get(key)?.ref.contentType).toBe('message/rfc822');
    expect(queue.events).toEqual([
      {
        id: expect.stringMatching(new RegExp(`^${id}:[0-9a-f]{16}$`)),
        type: 'InboundEmailReceived',
        version: 1,
        occurredAt: '2026-03-04T09:00:00.000Z',
        data: {
          inboundEmailId: id,
          blobKey: key,
          sha256: id,
          size: raw.length,
          provider: 'mailgun',
          envelope: { sender: 'jane@example.com', recipients: [alias] },
          receivedAt: '2026-03-04T09:00:00.000Z',
          traceId: 'trace-1',
        },
      },
    ]);
    expect(repository.records.get(id)).toMatchObject({
      blobKey: key,
      size: raw.length,
      status: 'queued',
      queuedAt: new Date('2026-03-04T09:00:00Z'),
      queuedRecipients: [alias],
      envelope: { sender: 'jane@example.com', recipients: [alias] },
    });
    await close();
  });

  it('answers a second delivery of the same raw email as a duplicate: stored and queued once', async () => {
    const { commands, blobs, queue, clock, close } = await inboundEmailTestBed();
    const raw = rawEmail();
    await commands.execute(record(raw));
    clock.advance(60_000);
    await expect(commands.execute(record(raw, [alias.toUpperCase()]))).resolves.toEqual({ inboundEmailId: inboundEmailIdOf(raw), duplicate: true });
    expect(blobs.puts).toBe(1);
    expect(queue.events).toHaveLength(1);
    await close();
  });

  it('queues the same raw email again for a recipient it was not queued for (a Bcc delivered separately)', async () => {
    const { commands, blobs, queue, repository, clock, close } = await inboundEmailTestBed();
    const raw = rawEmail();
    const other = 'recruiter-a1b2c3d4e5f6@relay.example.com';
    await commands.execute(record(raw));
    clock.advance(1_000);
    await expect(commands.execute(record(raw, [other]))).resolves.toMatchObject({ duplicate: false });
    expect(blobs.puts).toBe(1);
    expect(queue.events.map((e) => e.data.envelope.recipients)).toEqual([[alias], [other]]);
    expect(queue.events[1].data.receivedAt).toBe(queue.events[0].data.receivedAt);
    expect(queue.events[1].data.blobKey).toBe(queue.events[0].data.blobKey);
    expect(repository.records.get(inboundEmailIdOf(raw))).toMatchObject({ queuedRecipients: [alias, other], queuedAt: new Date('2026-03-04T09:00:00Z') });
    await close();
  });

  it.each([
    ['blob store', 'fail', InboundEmailErrorCode.StorageUnavailable],
    ['blob store', 'hang', InboundEmailErrorCode.StorageUnavailable],
    ['queue', 'fail', InboundEmailErrorCode.QueueUnavailable],
    ['queue', 'hang', InboundEmailErrorCode.QueueUnavailable],
  ] as const)('refuses as unavailable when the %s is down (%s), marks nothing queued, and the retry completes', async (which, fault, code) => {
    const { commands, blobs, queue, repository, close } = await inboundEmailTestBed();
    const raw = rawEmail();
    (which === 'blob store' ? blobs : queue).fault = fault;

    await expect(commands.execute(record(raw))).rejects.toMatchObject({ code, category: ErrorCategory.Unavailable });
    expect(queue.events).toHaveLength(0);
    expect(repository.records.get(inboundEmailIdOf(raw))?.status ?? 'received').toBe('received');
    expect(repository.records.get(inboundEmailIdOf(raw))?.queuedAt ?? null).toBeNull();

    blobs.fault = 'none';
    queue.fault = 'none';
    await expect(commands.execute(record(raw))).resolves.toMatchObject({ duplicate: false });
    expect(queue.events).toHaveLength(1);
    expect(repository.records.get(inboundEmailIdOf(raw))?.status).toBe('queued');
    await close();
  });

  it.each(['fail', 'hang'] as const)('keeps accepting while MongoDB is down (%s): raw stored and queued, nothing recorded', async (fault) => {
    const { commands, blobs, queue, repository, metrics, close } = await inboundEmailTestBed();
    repository.fault = fault;
    await expect(commands.execute(record(rawEmail()))).resolves.toMatchObject({ duplicate: false });
    expect(blobs.blobs.size).toBe(1);
    expect(queue.events).toHaveLength(1);
    expect(repository.records.size).toBe(0);
    expect(await metrics.registry.getSingleMetricAsString('inbound_email_record_skipped_total')).toMatch(/operation="find"} 1/);
    await close();
  });

  it('pays for a hanging MongoDB once per retry window, not once per record operation', async () => {
    const { commands, repository, queue, clock, close } = await inboundEmailTestBed({ recordTimeoutMs: 100, recordRetryAfterMs: 5_000 });
    repository.fault = 'hang';
    const started = Date.now();
    await commands.execute(record(rawEmail({ messageId: 'a' })));
    await commands.execute(record(rawEmail({ messageId: 'b' })));
    expect(Date.now() - started).toBeLessThan(300);
    expect(queue.events).toHaveLength(2);

    repository.fault = 'none';
    clock.advance(5_000);
    await commands.execute(record(rawEmail({ messageId: 'c' })));
    expect(repository.records.size).toBe(1);
    await close();
  });

  it.each([
    ['not an email', Buffer.from('hello world'), [alias], InboundEmailErrorCode.NotAnEmail],
    ['no recipient', rawEmail(), [], InboundEmailErrorCode.NoRecipients],
    ['a recipient that is no address', rawEmail(), ['nope'], InboundEmailErrorCode.InvalidRecipient],
    ['too many recipients', rawEmail(), Array.from({ length: 101 }, (_, i) => `r${i}@relay.example.com`), InboundEmailErrorCode.TooManyRecipients],
    ['a header line over the limit', rawEmail({ extra: [`X-Long: ${'x'.repeat(70_000)}`] }), [alias], InboundEmailErrorCode.HeaderLineTooLong],
  ])('refuses %s as invalid, touching nothing', async (_name, raw, recipients, code) => {
    const { commands, blobs, queue, repository, close } = await inboundEmailTestBed();
    await expect(commands.execute(record(raw, recipients))).rejects.toMatchObject({ code, category: ErrorCategory.Invalid });
    expect([blobs.puts, queue.events.length, repository.records.size]).toEqual([0, 0, 0]);
    await close();
  });

  it('refuses an email over the size limit', async () => {
    const { commands, blobs, close } = await inboundEmailTestBed({ maxBytes: 1_000 });
    await expect(commands.execute(record(rawEmail({ body: 'x'.repeat(1_000) })))).rejects.toMatchObject({ code: InboundEmailErrorCode.TooLarge });
    expect(blobs.puts).toBe(0);
    await close();
  });
});
