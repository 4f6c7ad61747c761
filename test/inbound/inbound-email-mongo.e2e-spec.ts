import mongoose, { Connection, Model } from 'mongoose';
import { resolveInboundEmailOptions } from '@libs/inbound-email';
import {
  INBOUND_EMAIL_MODEL,
  InboundEmailDocument,
  InboundEmailSchema,
  MAILGUN_TOKEN_MODEL,
  MailgunTokenDocument,
  MailgunTokenSchema,
} from '../../libs/inbound-email/src/infrastructure/persistence/inbound-email.schemas';
import { MongoInboundEmailRepository } from '../../libs/inbound-email/src/infrastructure/persistence/mongo-inbound-email.repository';
import { MongoMailgunTokenStore } from '../../libs/inbound-email/src/infrastructure/persistence/mongo-mailgun-token.store';
import { infraEnv } from '../../scripts/infra';
import { runId } from '../support/env';

/** The MongoDB adapters of libs/inbound-email against the real MongoDB-wire server. */
describe('inbound-email MongoDB adapters', () => {
  let connection: Connection;
  let emails: Model<InboundEmailDocument>;
  let tokens: Model<MailgunTokenDocument>;
  let repository: MongoInboundEmailRepository;
  let store: MongoMailgunTokenStore;
  const at = (s: number) => new Date(Date.UTC(2026, 2, 4, 9, 0, s));

  beforeAll(async () => {
    const url = new URL(infraEnv().MONGO_URL);
    url.pathname = `/${runId('inbound').replace(/-/g, '_')}`;
    connection = await mongoose.createConnection(url.toString(), { serverSelectionTimeoutMS: 10_000 }).asPromise();
    emails = connection.model(INBOUND_EMAIL_MODEL, InboundEmailSchema);
    tokens = connection.model(MAILGUN_TOKEN_MODEL, MailgunTokenSchema);
    repository = new MongoInboundEmailRepository(emails);
    const options = resolveInboundEmailOptions({ mailgun: { signingKey: 'k'.repeat(16) }, tokenSweepIntervalMs: 60_000 });
    store = new MongoMailgunTokenStore(tokens, options, { now: () => new Date() });
  });

  afterAll(async () => {
    store?.onApplicationShutdown();
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  const receipt = (id: string, recipients: string[], s = 0) => ({
    id,
    blobKey: `inbound/2026/03/04/${id}.eml`,
    size: 42,
    provider: 'mailgun' as const,
    envelope: { sender: null, recipients },
    receivedAt: at(s),
  });

  it('creates a record on the first receipt and adds recipients on later ones, keeping the first receipt', async () => {
    await repository.recordReceipt(receipt('e1', ['a@x']));
    await repository.recordReceipt(receipt('e1', ['b@x', 'a@x'], 30));
    expect(await repository.findById('e1')).toEqual({
      id: 'e1',
      blobKey: 'inbound/2026/03/04/e1.eml',
      size: 42,
      provider: 'mailgun',
      envelope: { sender: null, recipients: ['a@x', 'b@x'] },
      receivedAt: at(0),
      queuedAt: null,
      queuedRecipients: [],
      status: 'received',
      statusReason: null,
      statusChangedAt: null,
    });
  });

  it('marks queued once: queuedAt keeps the first acknowledgement, recipients accumulate', async () => {
    await repository.recordReceipt(receipt('e2', ['a@x']));
    await repository.markQueued('e2', ['a@x'], at(5));
    await repository.markQueued('e2', ['b@x'], at(9));
    expect(await repository.findById('e2')).toMatchObject({ status: 'queued', queuedAt: at(5), queuedRecipients: ['a@x', 'b@x'], statusChangedAt: at(5) });
  });

  it("records the relay's outcome, which a late acknowledgement does not undo", async () => {
    await repository.recordReceipt(receipt('e3', ['a@x']));
    await expect(repository.setOutcome('e3', 'quarantined', 'spam verdict', at(7))).resolves.toMatchObject({ status: 'quarantined', statusReason: 'spam verdict' });
    await repository.markQueued('e3', ['a@x'], at(8));
    expect(await repository.findById('e3')).toMatchObject({ status: 'quarantined', queuedAt: at(8) });
    await expect(repository.setOutcome('missing', 'failed', null, at(9))).resolves.toBeNull();
  });

  it('creates a missing record from the event data when the relay records its outcome', async () => {
    await expect(repository.setOutcome('e4', 'processed', null, at(20), receipt('e4', ['a@x']))).resolves.toMatchObject({
      id: 'e4',
      status: 'processed',
      blobKey: 'inbound/2026/03/04/e4.eml',
      queuedAt: at(20),
      queuedRecipients: ['a@x'],
      receivedAt: at(0),
    });
    // An existing record keeps its facts.
    await expect(repository.setOutcome('e4', 'failed', 'x', at(30), receipt('e4', ['z@x'], 10))).resolves.toMatchObject({
      status: 'failed',
      queuedRecipients: ['a@x'],
      receivedAt: at(0),
    });
  });

  it('claims a token once, releases it, and purges expired tokens', async () => {
    const now = new Date();
    await expect(store.claim('tok-1', new Date(now.getTime() + 60_000))).resolves.toBe(true);
    await expect(store.claim('tok-1', new Date(now.getTime() + 60_000))).resolves.toBe(false);
    await store.release('tok-1');
    await expect(store.claim('tok-1', new Date(now.getTime() + 60_000))).resolves.toBe(true);
    await store.claim('tok-old', new Date(now.getTime() - 1_000));
    await expect(store.purgeExpired(now)).resolves.toBe(1);
    await expect(store.claim('tok-old', new Date(now.getTime() + 60_000))).resolves.toBe(true);
  });

  it('starts whether or not the server supports TTL indexes, and keeps claiming tokens', async () => {
    expect(() => store.onApplicationBootstrap()).not.toThrow();
    // The index attempt runs in the background and only logs when refused; let it finish.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await expect(store.claim('tok-after-ttl-check', new Date(Date.now() + 60_000))).resolves.toBe(true);
  });
});
