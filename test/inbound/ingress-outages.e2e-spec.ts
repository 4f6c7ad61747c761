import { pauseService, resumeService } from '../../scripts/infra';
import { infraEnv } from '../../scripts/infra';
import { AppProcess, eventually } from '../support/app-process';
import { mailgunSignature, postMailgun, testEmail } from '../support/mailgun';
import { blobKeyOf, InboundEventsReader, inboundRecords, s3Store, sha256, startInboundGateway } from './support/inbound-harness';
import { TcpProxy } from './support/tcp-proxy';

/**
 * DESIGN §8: with the blob store or Kafka down the ingress answers 503 (with Retry-After) and
 * marks nothing queued, so the provider's retry of the very same post completes the work; with
 * MongoDB down it keeps accepting.
 */
describe('ingress while a dependency is down', () => {
  let gateway: AppProcess;
  let events: InboundEventsReader;
  let records: Awaited<ReturnType<typeof inboundRecords>>;
  const alias = 'jane-doe-k7q2m9x4p3r8@relay.localhost';

  beforeAll(async () => {
    [gateway, records] = await Promise.all([startInboundGateway(), inboundRecords()]);
    events = new InboundEventsReader();
    await events.start();
  });

  afterAll(async () => {
    await Promise.allSettled([gateway?.stop(), events?.stop(), records?.close()]);
  });

  it('answers 503 while S3 is paused, marks nothing queued, and the same post succeeds once S3 is back', async () => {
    const raw = testEmail({ to: alias });
    const signature = mailgunSignature();
    await pauseService('s3');
    let refused;
    try {
      refused = await postMailgun(gateway.url, raw, { recipient: alias, signature });
      expect(await records.find(sha256(raw))).toBeNull();
    } finally {
      await resumeService('s3');
    }
    expect(refused).toMatchObject({ status: 503, body: { error: { code: 'INBOUND_STORAGE_UNAVAILABLE' } } });
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(events.of(sha256(raw))).toHaveLength(0);

    const retried = await eventually(async () => {
      const answer = await postMailgun(gateway.url, raw, { recipient: alias, signature });
      return answer.status === 202 ? answer : undefined;
    }, 30_000, 'the retry to be accepted');
    expect(retried.body).toEqual({ id: sha256(raw), duplicate: false });
    await events.waitFor(sha256(raw));
    const blobs = s3Store();
    try {
      expect((await blobs.get(blobKeyOf(sha256(raw)))).equals(raw)).toBe(true);
    } finally {
      blobs.destroy();
    }
    expect(await records.find(sha256(raw))).toMatchObject({ status: 'queued', queuedAt: expect.any(Date) });
  });

  it('answers 503 while Kafka is paused, marks nothing queued, and the same post succeeds once Kafka is back', async () => {
    const raw = testEmail({ to: alias });
    const signature = mailgunSignature();
    await pauseService('kafka');
    let refused;
    try {
      refused = await postMailgun(gateway.url, raw, { recipient: alias, signature });
      const record = await records.find(sha256(raw));
      expect(record?.status).toBe('received');
      // Some MongoDB-wire servers drop empty arrays and nulls on insert: absent means none.
      expect(record?.queuedRecipients ?? []).toEqual([]);
      expect(record?.queuedAt).toBeUndefined();
    } finally {
      await resumeService('kafka');
    }
    expect(refused).toMatchObject({ status: 503, body: { error: { code: 'INBOUND_QUEUE_UNAVAILABLE' } } });

    const retried = await eventually(async () => {
      const answer = await postMailgun(gateway.url, raw, { recipient: alias, signature });
      return answer.status === 202 ? answer : undefined;
    }, 60_000, 'the retry to be accepted');
    expect(retried.body).toEqual({ id: sha256(raw), duplicate: false });
    const received = await events.waitFor(sha256(raw));
    // The refused attempt's send may still land once Kafka resumes: it carries the same event id.
    expect(new Set(received.map((event) => event.id)).size).toBe(1);
    expect(await records.find(sha256(raw))).toMatchObject({ status: 'queued', queuedAt: expect.any(Date) });
  });

  describe('with MongoDB unreachable (through a proxy, for this gateway only)', () => {
    let proxy: TcpProxy;
    let isolated: AppProcess;

    beforeAll(async () => {
      const mongo = new URL(infraEnv().MONGO_URL);
      proxy = await TcpProxy.start(mongo.hostname, Number(mongo.port || 27017));
      mongo.host = `127.0.0.1:${proxy.port}`;
      mongo.searchParams.set('directConnection', 'true');
      isolated = await startInboundGateway({ MONGO_URL: mongo.toString() });
    });

    afterAll(async () => {
      await isolated?.stop();
      await proxy?.close();
    });

    it('keeps accepting: raw stored and queued, then records again once MongoDB is back', async () => {
      proxy.cut();
      const during = testEmail({ to: alias });
      const started = Date.now();
      const answers = [await postMailgun(isolated.url, during, { recipient: alias }), await postMailgun(isolated.url, testEmail(), { recipient: alias })];
      expect(answers.map((a) => a.status)).toEqual([202, 202]);
      // One record timeout for both requests, not one per operation.
      expect(Date.now() - started).toBeLessThan(8_000);
      await events.waitFor(sha256(during));
      const blobs = s3Store();
      try {
        expect((await blobs.head(blobKeyOf(sha256(during))))?.size).toBe(during.length);
      } finally {
        blobs.destroy();
      }
      expect(await records.find(sha256(during))).toBeNull();

      proxy.restore();
      const after = testEmail({ to: alias });
      await eventually(async () => {
        const answer = await postMailgun(isolated.url, after, { recipient: alias });
        expect(answer.status).toBe(202);
        return (await records.find(sha256(after)))?.status === 'queued' ? true : undefined;
      }, 60_000, 'records to be written again once MongoDB is reachable');
    });
  });
});
