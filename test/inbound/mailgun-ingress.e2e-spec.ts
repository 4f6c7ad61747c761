import { S3BlobStore } from '@libs/blob-store';
import { AppProcess } from '../support/app-process';
import { mailgunSignature, multipart, postBody, postMailgun, testEmail, TEST_MAILGUN_SIGNING_KEY } from '../support/mailgun';
import { blobKeyOf, InboundEventsReader, inboundRecords, s3Store, sha256, startInboundGateway } from './support/inbound-harness';

/**
 * `POST /inbound/mailgun/mime` against the built gateway and the real Kafka, S3 and MongoDB-wire
 * servers: what is acknowledged is stored and queued, once; everything else is refused with a
 * clear 4xx and the gateway keeps serving.
 */
describe('Mailgun ingress', () => {
  let gateway: AppProcess;
  let events: InboundEventsReader;
  let blobs: S3BlobStore;
  let records: Awaited<ReturnType<typeof inboundRecords>>;
  const alias = 'jane-doe-k7q2m9x4p3r8@relay.localhost';

  beforeAll(async () => {
    [gateway, records] = await Promise.all([startInboundGateway(), inboundRecords()]);
    events = new InboundEventsReader();
    await events.start();
    blobs = s3Store();
  });

  afterAll(async () => {
    await Promise.allSettled([gateway?.stop(), events?.stop(), records?.close()]);
    blobs?.destroy();
  });

  it('acknowledges a signed post with 202 once the raw email is in S3 and its event on Kafka', async () => {
    const raw = testEmail({ to: alias });
    const answer = await postMailgun(gateway.url, raw, { recipient: alias, sender: 'Jane@Example.com' });

    expect(answer).toMatchObject({ status: 202, body: { id: sha256(raw), duplicate: false } });
    const id = answer.body.id!;
    expect((await blobs.get(blobKeyOf(id))).equals(raw)).toBe(true);
    expect(await blobs.head(blobKeyOf(id))).toMatchObject({ contentType: 'message/rfc822', sha256: id, size: raw.length });

    const [event] = await events.waitFor(id);
    expect(event).toMatchObject({
      key: id,
      type: 'InboundEmailReceived',
      version: 1,
      data: {
        inboundEmailId: id,
        blobKey: blobKeyOf(id),
        sha256: id,
        size: raw.length,
        provider: 'mailgun',
        envelope: { sender: 'jane@example.com', recipients: [alias] },
        traceId: expect.any(String),
      },
    });
    expect(event.traceHeader).toBe(event.data.traceId);
    expect(await records.find(id)).toMatchObject({ status: 'queued', queuedAt: expect.any(Date), queuedRecipients: [alias], blobKey: blobKeyOf(id) });
  });

  it('stores and queues the same raw email once when it is posted twice; the second answer says duplicate', async () => {
    const raw = testEmail({ to: alias });
    const first = await postMailgun(gateway.url, raw, { recipient: alias });
    const second = await postMailgun(gateway.url, raw, { recipient: alias });

    expect(first).toMatchObject({ status: 202, body: { duplicate: false } });
    expect(second).toMatchObject({ status: 202, body: { id: first.body.id, duplicate: true } });
    await events.waitFor(first.body.id!);
    // Later events for the same email would come after the first one; give them time to show.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(events.of(first.body.id!)).toHaveLength(1);
  });

  it('routes every recipient of a comma-separated list, and a Bcc posted separately', async () => {
    const raw = testEmail({ to: alias });
    const bcc = 'recruiter-a1b2c3d4e5f6@relay.localhost';
    const other = 'hiring-m3n4p5q6r7s8@relay.localhost';
    const first = await postMailgun(gateway.url, raw, { recipient: `${alias}, ${other}` });
    const second = await postMailgun(gateway.url, raw, { recipient: bcc });

    expect(first).toMatchObject({ status: 202, body: { duplicate: false } });
    expect(second).toMatchObject({ status: 202, body: { id: first.body.id, duplicate: false } });
    const [one, two] = await events.waitFor(first.body.id!, 2);
    expect([one.data.envelope.recipients, two.data.envelope.recipients]).toEqual([[alias, other], [bcc]]);
    expect(two.data.blobKey).toBe(one.data.blobKey);
  });

  describe('signature', () => {
    it('refuses a post without signature fields with 401', async () => {
      const answer = await postMailgun(gateway.url, testEmail(), { signature: null });
      expect(answer).toMatchObject({ status: 401, body: { error: { code: 'MAILGUN_SIGNATURE_MISSING' } } });
    });

    it('refuses a signature made with another key, or for another token, with 401', async () => {
      const forged = mailgunSignature({ key: 'not-the-signing-key-0123456789' });
      expect(await postMailgun(gateway.url, testEmail(), { signature: forged })).toMatchObject({
        status: 401,
        body: { error: { code: 'MAILGUN_SIGNATURE_INVALID' } },
      });
      const valid = mailgunSignature();
      expect(await postMailgun(gateway.url, testEmail(), { signature: { ...valid, token: `${valid.token}x` } })).toMatchObject({ status: 401 });
    });

    it('refuses a stale or far-future timestamp with 403, even correctly signed', async () => {
      const now = Math.floor(Date.now() / 1000);
      for (const timestamp of [now - 600, now + 600]) {
        const answer = await postMailgun(gateway.url, testEmail(), { signature: mailgunSignature({ timestamp }) });
        expect(answer).toMatchObject({ status: 403, body: { error: { code: 'MAILGUN_TIMESTAMP_STALE' } } });
      }
      const slightlyOld = await postMailgun(gateway.url, testEmail(), { signature: mailgunSignature({ timestamp: now - 120 }) });
      expect(slightlyOld.status).toBe(202);
    });

    it('refuses a replayed token with 403, whatever body it carries', async () => {
      const signature = mailgunSignature();
      expect((await postMailgun(gateway.url, testEmail(), { signature })).status).toBe(202);
      const replay = await postMailgun(gateway.url, testEmail({ body: 'Send the money to this account instead.' }), { signature });
      expect(replay).toMatchObject({ status: 403, body: { error: { code: 'MAILGUN_TOKEN_REPLAYED' } } });
    });

    it('lets the same token through again after a refused post, so a provider retry is not a replay', async () => {
      const signature = mailgunSignature();
      expect((await postMailgun(gateway.url, 'not an email', { signature })).status).toBe(400);
      expect((await postMailgun(gateway.url, testEmail(), { signature })).status).toBe(202);
    });
  });

  describe('malformed and hostile input', () => {
    it('refuses a body that is not an email with 400', async () => {
      for (const body of ['hello, world', '{"from":"jane@example.com"}', 'Subject: no sender\r\n\r\nx', '']) {
        const answer = await postMailgun(gateway.url, body);
        expect(answer).toMatchObject({ status: 400, body: { error: { code: 'INBOUND_NOT_AN_EMAIL' } } });
      }
    });

    it('refuses a form without body-mime or recipient with 400, and one that is not multipart with 415', async () => {
      const noBody = multipart(Object.entries({ recipient: alias, ...mailgunSignature() }));
      expect(await postBody(`${gateway.url}/inbound/mailgun/mime`, noBody.body, { 'content-type': noBody.contentType })).toMatchObject({ status: 400 });
      const noRecipient = multipart(Object.entries({ ...mailgunSignature(), 'body-mime': testEmail().toString() }));
      expect(await postBody(`${gateway.url}/inbound/mailgun/mime`, noRecipient.body, { 'content-type': noRecipient.contentType })).toMatchObject({
        status: 400,
        body: { error: { code: 'INBOUND_NO_RECIPIENTS' } },
      });
      const json = await postBody(`${gateway.url}/inbound/mailgun/mime`, Buffer.from('{}'), { 'content-type': 'application/json' });
      expect(json).toMatchObject({ status: 415, body: { error: { code: 'INBOUND_UNSUPPORTED_MEDIA_TYPE' } } });
      const broken = await postBody(`${gateway.url}/inbound/mailgun/mime`, Buffer.from('--x\r\nnot a part'), { 'content-type': 'multipart/form-data; boundary=x' });
      expect(broken).toMatchObject({ status: 400, body: { error: { code: 'INBOUND_MALFORMED_REQUEST' } } });
    });

    it('accepts a truncated MIME message: the relay decides what it is worth', async () => {
      const raw = Buffer.from(
        `From: jane@example.com\r\nMessage-ID: <${Date.now()}@example.com>\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nThis part never en`,
      );
      expect(await postMailgun(gateway.url, raw)).toMatchObject({ status: 202, body: { id: sha256(raw), duplicate: false } });
    });

    it('accepts an unknown charset and 8-bit bytes, storing the exact bytes', async () => {
      const raw = Buffer.concat([
        Buffer.from(`From: =?x-klingon?Q?Qapla?= <k@example.com>\r\nMessage-ID: <${Date.now()}@example.com>\r\n`),
        Buffer.from('Content-Type: text/plain; charset=x-klingon-42\r\n\r\n'),
        Buffer.from([0xe9, 0xe8, 0xff, 0xfe, 0x0d, 0x0a]),
      ]);
      const answer = await postMailgun(gateway.url, raw);
      expect(answer).toMatchObject({ status: 202, body: { id: sha256(raw) } });
      expect((await blobs.get(blobKeyOf(answer.body.id!))).equals(raw)).toBe(true);
    });

    it('accepts NUL bytes in the body and refuses them in the header section, saying so', async () => {
      const inBody = Buffer.concat([testEmail(), Buffer.from([0x00, 0x01, 0x00])]);
      expect((await postMailgun(gateway.url, inBody)).status).toBe(202);
      const inHeaders = Buffer.concat([Buffer.from('From: jane@exa'), Buffer.from([0]), Buffer.from('mple.com\r\nMessage-ID: <nul@example.com>\r\n\r\nx')]);
      expect(await postMailgun(gateway.url, inHeaders)).toMatchObject({
        status: 400,
        body: { error: { code: 'INBOUND_NUL_IN_HEADERS', message: 'The header section of the email contains NUL bytes.' } },
      });
    });

    it('accepts body-mime sent as a file part', async () => {
      const raw = testEmail();
      expect(await postMailgun(gateway.url, raw, { asFile: true })).toMatchObject({ status: 202, body: { id: sha256(raw) } });
    });

    it('refuses 1,000 recipients with 400', async () => {
      const recipients = Array.from({ length: 1_000 }, (_, i) => `alias-${i}@relay.localhost`).join(',');
      expect(await postMailgun(gateway.url, testEmail(), { recipient: recipients })).toMatchObject({
        status: 400,
        body: { error: { code: 'INBOUND_TOO_MANY_RECIPIENTS' } },
      });
    });

    it('refuses a 1 MB header line with 400', async () => {
      const raw = testEmail({ extraHeaders: [`X-Padding: ${'a'.repeat(1024 * 1024)}`] });
      expect(await postMailgun(gateway.url, raw)).toMatchObject({ status: 400, body: { error: { code: 'INBOUND_HEADER_LINE_TOO_LONG' } } });
    });

    it('refuses a 30 MB email with 413 and keeps serving', async () => {
      const raw = Buffer.concat([testEmail(), Buffer.alloc(30 * 1024 * 1024, 'x')]);
      expect(await postMailgun(gateway.url, raw)).toMatchObject({ status: 413, body: { error: { code: 'INBOUND_EMAIL_TOO_LARGE' } } });
      expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
      expect((await postMailgun(gateway.url, testEmail())).status).toBe(202);
    });

    it('counts requests by provider and outcome in /metrics', async () => {
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toMatch(/inbound_ingress_requests_total\{[^}]*provider="mailgun"[^}]*outcome="accepted"[^}]*\} \d+/);
      expect(metrics).toMatch(/inbound_ingress_requests_total\{[^}]*outcome="too_large"[^}]*\} 1/);
      expect(metrics).toMatch(/inbound_ingress_duration_seconds_bucket\{/);
      expect(metrics).toMatch(/inbound_ingress_bytes_total\{[^}]*provider="mailgun"[^}]*\} [1-9]/);
    });

    it('logs each accepted email with its id, never the addresses it routes', () => {
      expect(gateway.output).toContain('"msg":"Inbound email accepted"');
      expect(gateway.output).not.toContain(alias);
      expect(gateway.output).not.toContain(TEST_MAILGUN_SIGNING_KEY);
    });
  });
});
