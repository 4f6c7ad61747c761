import { AppProcess } from '../support/app-process';
import { postBody, testEmail } from '../support/mailgun';
import { basicAuth, blobKeyOf, InboundEventsReader, s3Store, sha256, startInboundGateway } from './support/inbound-harness';
import { S3BlobStore } from '@libs/blob-store';

/** `POST /inbound/raw` (an MTA piping raw MIME) against the built gateway and the real servers. */
describe('raw MIME ingress', () => {
  let gateway: AppProcess;
  let events: InboundEventsReader;
  let blobs: S3BlobStore;
  const alias = 'jane-doe-k7q2m9x4p3r8@relay.localhost';
  const mime = { 'content-type': 'message/rfc822' };

  const post = (raw: Buffer, options: { query?: string; headers?: Record<string, string> } = {}) =>
    postBody(`${gateway.url}/inbound/raw${options.query ?? ''}`, raw, { ...mime, authorization: basicAuth(), ...options.headers });

  beforeAll(async () => {
    gateway = await startInboundGateway();
    events = new InboundEventsReader();
    await events.start();
    blobs = s3Store();
  });

  afterAll(async () => {
    await Promise.allSettled([gateway?.stop(), events?.stop()]);
    blobs?.destroy();
  });

  describe('basic auth', () => {
    it('refuses a post without credentials with 401 and a Basic challenge, before reading it', async () => {
      const answer = await postBody(`${gateway.url}/inbound/raw?recipient=${alias}`, testEmail(), mime);
      expect(answer).toMatchObject({ status: 401, body: { error: { code: 'INBOUND_CREDENTIALS_REQUIRED' } } });
      expect(answer.headers.get('www-authenticate')).toBe('Basic realm="inbound", charset="UTF-8"');
    });

    it('refuses a wrong password with 401', async () => {
      const answer = await post(testEmail(), { query: `?recipient=${alias}`, headers: { authorization: basicAuth('wrong-password') } });
      expect(answer.status).toBe(401);
    });

    it('accepts the right password with any user name', async () => {
      const raw = testEmail();
      const answer = await post(raw, { query: `?recipient=${alias}`, headers: { authorization: basicAuth(undefined, 'any-mta') } });
      expect(answer).toMatchObject({ status: 202, body: { id: sha256(raw), duplicate: false } });
      expect((await blobs.get(blobKeyOf(sha256(raw)))).equals(raw)).toBe(true);
    });
  });

  describe('envelope', () => {
    it('takes recipients from repeated recipient query parameters and the sender from the query', async () => {
      const other = 'recruiter-a1b2c3d4e5f6@relay.localhost';
      const raw = testEmail();
      const answer = await post(raw, { query: `?recipient=${encodeURIComponent(alias)}&recipient=${encodeURIComponent(other)}&sender=bounces%40example.org` });
      expect(answer.status).toBe(202);
      const [event] = await events.waitFor(answer.body.id!);
      expect(event.data).toMatchObject({ provider: 'mta', envelope: { sender: 'bounces@example.org', recipients: [alias, other] } });
    });

    it('takes the recipient from the topmost X-Original-To and the sender from Return-Path', async () => {
      const raw = testEmail({
        extraHeaders: [`Return-Path: <Jane@Example.com>`, `X-Original-To: ${alias}`, 'Delivered-To: relay-mailbox@relay.localhost', 'X-Original-To: older-hop@example.org'],
      });
      const answer = await post(raw);
      expect(answer.status).toBe(202);
      const [event] = await events.waitFor(answer.body.id!);
      expect(event.data.envelope).toEqual({ sender: 'jane@example.com', recipients: [alias] });
    });

    it('falls back to the topmost Delivered-To', async () => {
      const answer = await post(testEmail({ extraHeaders: [`Delivered-To: ${alias}`, 'Delivered-To: someone@example.org'] }));
      expect(answer.status).toBe(202);
      const [event] = await events.waitFor(answer.body.id!);
      expect(event.data.envelope).toEqual({ sender: null, recipients: [alias] });
    });

    it('refuses an email with no envelope recipient at all with 400', async () => {
      expect(await post(testEmail())).toMatchObject({ status: 400, body: { error: { code: 'INBOUND_NO_RECIPIENTS' } } });
    });
  });

  describe('malformed input', () => {
    it('refuses another content type with 415', async () => {
      const answer = await post(testEmail(), { query: `?recipient=${alias}`, headers: { 'content-type': 'text/plain' } });
      expect(answer).toMatchObject({ status: 415, body: { error: { code: 'INBOUND_UNSUPPORTED_MEDIA_TYPE' } } });
    });

    it('refuses a body that is not an email with 400', async () => {
      expect(await post(Buffer.from('GET / HTTP/1.1\r\n\r\n'), { query: `?recipient=${alias}` })).toMatchObject({ status: 400 });
    });

    it('refuses a 30 MB email streamed without a declared length with 413, and keeps serving', async () => {
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 0) controller.enqueue(testEmail());
          if (sent >= 30) return controller.close();
          sent += 1;
          controller.enqueue(chunk);
        },
      });
      const response = await fetch(`${gateway.url}/inbound/raw?recipient=${alias}`, {
        method: 'POST',
        headers: { ...mime, authorization: basicAuth() },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('INBOUND_EMAIL_TOO_LARGE');
      expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
      expect((await post(testEmail(), { query: `?recipient=${alias}` })).status).toBe(202);
    });
  });
});
