import { AliasResolution, ResolveAliasQuery } from '@libs/conversations';
import { DomainError, ErrorCategory, InboundEmailReceivedData } from '@libs/contracts';
import { LegacyHandOver, LegacySystem } from '@libs/legacy-bridge';
import { MetricsService } from '@libs/observability';
import { ProcessInboundEmailCommand } from './process-inbound-email.command';
import { ProcessInboundEmailHandler } from './process-inbound-email.handler';

const LEGACY = '0b7e9f1a-3c2d-4e5f-8a9b-0c1d2e3f4a5b@legacy.example.com';
const RAW = Buffer.from(
  ['From: Jane <jane@example.com>', `To: ${LEGACY}`, 'Subject: Hi', 'Message-ID: <m1@example.com>', 'Content-Type: text/plain', '', 'Hello there.', ''].join('\r\n'),
);
const email: InboundEmailReceivedData = {
  inboundEmailId: 'sha-1',
  blobKey: 'raw/sh/sha-1',
  sha256: 'sha-1',
  size: RAW.length,
  provider: 'mailgun',
  envelope: { sender: 'jane@example.com', recipients: [LEGACY] },
  receivedAt: new Date().toISOString(),
  traceId: 't-1',
};

/** The handler with its collaborators faked, only far enough for legacy-only mail. */
/** The relay uses only the inbound half of the legacy system; the notifier's half is not called here. */
type InboundLegacy = Pick<LegacySystem, 'handOverInboundEmail' | 'resolveAlias'>;
const notCalled = async (): Promise<never> => {
  throw new Error('not used by the relay');
};

function handlerWith(inbound: InboundLegacy | null) {
  const legacySystem: LegacySystem | null = inbound
    ? { ...inbound, postMessage: notCalled, cancelReminders: notCalled, senderAddresses: notCalled, notificationsSent: notCalled }
    : null;
  const metrics = new MetricsService();
  const resolution: AliasResolution = { kind: 'legacy', address: LEGACY, legacyId: LEGACY.split('@')[0], legacyConversationId: 'L-1', conversationId: null };
  const queries = { execute: async (q: unknown) => (q instanceof ResolveAliasQuery ? resolution : null) };
  const commands = { execute: async () => ({}) };
  const blobs = { get: async () => RAW };
  const options = { aliasDomain: 'relay.example.com', legacyAliasDomains: ['legacy.example.com'], bounceFrom: 'mailer-daemon@relay.example.com', platformAddresses: [], blocklist: [], maxAttachmentBytes: 20 * 1024 * 1024 };
  const handler = new ProcessInboundEmailHandler(commands as never, queries as never, blobs as never, {} as never, {} as never, options, metrics, legacySystem);
  const counted = async (result: string) => (await metrics.registry.getSingleMetric('relay_legacy_handovers_total')!.get()).values.find((v) => v.labels.result === result)?.value ?? 0;
  return { handler, counted };
}

describe('ProcessInboundEmailHandler: legacy aliases', () => {
  it('hands them to the legacy system when it is bound, with the blob key and the envelope sender', async () => {
    const handOvers: LegacyHandOver[] = [];
    const { handler, counted } = handlerWith({
      handOverInboundEmail: async (h) => {
        handOvers.push(h);
        return h.legacyAliases.map((alias) => ({ alias, duplicate: false }));
      },
      resolveAlias: async () => null,
    });
    expect(await handler.execute(new ProcessInboundEmailCommand(email))).toMatchObject({ status: 'processed', legacy: 1 });
    expect(handOvers).toEqual([{ inboundEmailId: 'sha-1', blobKey: 'raw/sh/sha-1', rawSha256: 'sha-1', legacyAliases: [LEGACY], envelopeSender: 'jane@example.com' }]);
    expect(await counted('handed-over')).toBe(1);
  });

  it('counts a redelivered hand-over as a duplicate', async () => {
    const { handler, counted } = handlerWith({ handOverInboundEmail: async (h) => h.legacyAliases.map((alias) => ({ alias, duplicate: true })), resolveAlias: async () => null });
    await handler.execute(new ProcessInboundEmailCommand(email));
    expect(await counted('duplicate')).toBe(1);
  });

  it('lets an unavailable legacy system fail the command, so the consumer retries', async () => {
    const down = new DomainError('LEGACY_SYSTEM_UNAVAILABLE', ErrorCategory.Unavailable, 'down');
    const { handler } = handlerWith({ handOverInboundEmail: async () => Promise.reject(down), resolveAlias: async () => null });
    await expect(handler.execute(new ProcessInboundEmailCommand(email))).rejects.toBe(down);
  });

  it('without a legacy bridge, only logs and counts them', async () => {
    const { handler, counted } = handlerWith(null);
    expect(await handler.execute(new ProcessInboundEmailCommand(email))).toMatchObject({ status: 'processed', legacy: 1 });
    expect(await counted('unconfigured')).toBe(1);
  });
});
