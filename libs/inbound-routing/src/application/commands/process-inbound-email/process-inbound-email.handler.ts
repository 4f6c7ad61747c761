import { Inject, Logger, Optional } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { createHash } from 'node:crypto';
import { BLOB_STORE, BlobStore } from '@libs/blob-store';
import { AttachmentSnapshot, ErrorCategory, isDomainError } from '@libs/contracts';
import { AddMessageCommand, GetConversationQuery, ResolveAliasQuery, SYSTEM, parseAliasAddress } from '@libs/conversations';
import { FindAccountByEmailQuery } from '@libs/identity';
import { UpdateInboundEmailStatusCommand } from '@libs/inbound-email';
import { LEGACY_SYSTEM, LegacySystem } from '@libs/legacy-bridge';
import { BounceReason, ParsedEmail, buildBounce, classifyEmail, parseEmail, readDeliveryReport, shouldBounce, toChatMessage } from '@libs/mail';
import { UpdateDeliveryStatusCommand } from '@libs/notifications';
import { MetricsService } from '@libs/observability';
import { BOUNCE_SENDER, BOUNCE_THROTTLE, BounceSender, BounceThrottle } from '../../../domain/bounce.ports';
import { planRoutes } from '../../../domain/routing-plan';
import { identifySender } from '../../../domain/sender-identity';
import { INBOUND_ROUTING_OPTIONS, InboundRoutingOptions } from '../../../inbound-routing.options';
import { InboundOutcome, ProcessInboundEmailCommand } from './process-inbound-email.command';

/**
 * The relay's decision for one email (DESIGN §4). Every step is idempotent, so a redelivered
 * event (crash, retry) ends in the same state: messages are keyed by the email's Message-ID (or
 * a content hash), attachments by their SHA-256, bounces by sender, reason and hour.
 */
@CommandHandler(ProcessInboundEmailCommand)
export class ProcessInboundEmailHandler implements ICommandHandler<ProcessInboundEmailCommand, InboundOutcome> {
  private readonly logger = new Logger(ProcessInboundEmailHandler.name);
  private readonly outcomes;
  private readonly bounces;
  private readonly dedups;
  private readonly latency;
  private readonly handOvers;

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(BOUNCE_SENDER) private readonly bounceSender: BounceSender,
    @Inject(BOUNCE_THROTTLE) private readonly throttle: BounceThrottle,
    @Inject(INBOUND_ROUTING_OPTIONS) private readonly options: InboundRoutingOptions,
    metrics: MetricsService,
    /** Null or absent: no legacy bridge is configured (LEGACY_SYSTEM_URL unset). */
    @Optional() @Inject(LEGACY_SYSTEM) private readonly legacySystem?: LegacySystem | null,
  ) {
    this.outcomes = metrics.counter('relay_emails_processed_total', 'Inbound emails by outcome', ['outcome', 'reason']);
    this.bounces = metrics.counter('relay_bounces_total', 'Bounce-backs sent, by reason', ['reason']);
    this.dedups = metrics.counter('relay_deduplications_total', 'Recipients set aside because the email already routes there', ['reason']);
    this.handOvers = metrics.counter('relay_legacy_handovers_total', 'Legacy aliases handed to the legacy system, by result', ['result']);
    this.latency = metrics.histogram('relay_processing_seconds', 'From ingress acknowledgement to the relay decision', ['outcome'], [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10]);
  }

  async execute({ email }: ProcessInboundEmailCommand): Promise<InboundOutcome> {
    const outcome = await this.decide(email);
    const reason = outcome.status === 'ignored' || outcome.status === 'quarantined' ? outcome.reason : null;
    // The event's data lets the record be created if the ingress could not write it (MongoDB down).
    const statusReason = reason ?? (outcome.status === 'bounced' ? outcome.reasons.join(',') : null);
    await this.commands.execute(new UpdateInboundEmailStatusCommand(email.inboundEmailId, outcome.status, statusReason, email));
    this.outcomes.inc({ outcome: outcome.status, reason: reason ?? '' });
    this.latency.observe({ outcome: outcome.status }, Math.max(0, Date.now() - Date.parse(email.receivedAt)) / 1000);
    return outcome;
  }

  private async decide(email: ProcessInboundEmailCommand['email']): Promise<InboundOutcome> {
    const aliasOptions = { aliasDomain: this.options.aliasDomain, legacyDomains: this.options.legacyAliasDomains };
    // Most mail reaching a relay domain is not for an alias: decide that without reading the email.
    const ours = email.envelope.recipients.filter((r) => ['alias', 'legacy', 'unknown'].includes(parseAliasAddress(r, aliasOptions).kind));
    if (ours.length === 0) return { status: 'ignored', reason: 'no-alias' };

    let parsed: ParsedEmail;
    try {
      parsed = await parseEmail(await this.blobs.get(email.blobKey));
    } catch (error) {
      // Not an email at all: record it as failed rather than retrying what can never parse.
      if (isDomainError(error) && error.category === ErrorCategory.Invalid) return { status: 'ignored', reason: `malformed:${error.code}` };
      throw error;
    }
    const kind = classifyEmail(parsed, { platformAddresses: this.options.platformAddresses, aliasDomain: this.options.aliasDomain, blocklist: this.options.blocklist });
    if (kind.kind === 'delivery-status') {
      const recorded = await this.recordDeliveryReport(email.envelope.recipients, parsed);
      if (recorded > 0) return { status: 'ignored', reason: `delivery-status:recorded:${recorded}` };
    }
    if (kind.kind === 'spam') return { status: 'quarantined', reason: kind.reason };
    if (kind.kind !== 'message') return { status: 'ignored', reason: `${kind.kind}:${kind.reason}` };

    // Too large for a conversation, though within what the ingress accepts: refuse it whole.
    const attachmentBytes = parsed.attachments.reduce((sum, a) => sum + a.size, 0);
    if (attachmentBytes > this.options.maxAttachmentBytes) {
      await this.bounce(parsed, email.envelope.sender, 'too-large');
      return { status: 'bounced', reasons: ['too-large'] };
    }

    const resolutions = await Promise.all(ours.map((r) => this.queries.execute(new ResolveAliasQuery(r))));
    // Case 6: a legacy conversation migrated to a conversation the email already reaches.
    const migrated = new Map<string, string>();
    for (const r of resolutions) if (r.kind === 'legacy' && r.legacyConversationId && r.conversationId) migrated.set(r.legacyConversationId, r.conversationId);
    const plan = planRoutes(resolutions, (legacyConversationId) => migrated.get(legacyConversationId) ?? null);
    for (const d of plan.deduplicated) this.dedups.inc({ reason: d.reason });

    // Why recipients were refused; each reason is answered with at most one bounce an hour.
    const refused: BounceReason[] = [];
    const refuse = async (reason: BounceReason) => {
      refused.push(reason);
      await this.bounce(parsed, email.envelope.sender, reason);
    };
    for (const refusal of plan.refused) await refuse(refusal.reason);

    const messageIds: string[] = [];
    for (const target of plan.conversations) {
      const conversation = await this.queries.execute(new GetConversationQuery(target.conversationId, SYSTEM));
      const from = parsed.from?.address ?? email.envelope.sender;
      const account = from ? await this.queries.execute(new FindAccountByEmailQuery(from)) : null;
      // The author is the addressed seat whose owner sent it (by address, else by account).
      const verdicts = target.seats.map((s) => {
        const seat = conversation.participants.find((p) => p.id === s.participantId);
        return { participantId: s.participantId, verdict: seat ? identifySender(from, seat, account) : ({ ok: false, reason: 'not-a-participant' } as const) };
      });
      let author = verdicts.find((v) => v.verdict.ok);
      if (!author && !account && from && this.legacySystem && verdicts.every((v) => !v.verdict.ok && v.verdict.reason === 'unknown-sender')) {
        // Case 7, last resort: the legacy system's history of this person's addresses.
        const history = await this.legacySystem.senderAddresses(from);
        author = target.seats
          .map((s) => {
            const seat = conversation.participants.find((p) => p.id === s.participantId);
            return { participantId: s.participantId, verdict: seat ? identifySender(from, seat, null, history) : ({ ok: false, reason: 'not-a-participant' } as const) };
          })
          .find((v) => v.verdict.ok);
      }
      if (!author) {
        await refuse(verdicts[0].verdict.ok ? 'unknown-sender' : verdicts[0].verdict.reason);
        continue;
      }
      const chat = toChatMessage(parsed);
      // Inline images are kept too: the chat shows them as files, the body names them.
      const files = parsed.attachments;
      if (!chat.body.trim() && files.length === 0) {
        await refuse('empty-after-trimming');
        continue;
      }
      const attachments = await this.storeAttachments(files);
      const { message, duplicate } = await this.commands.execute(
        new AddMessageCommand(target.conversationId, { kind: 'participant', participantId: author.participantId }, {
          body: chat.body,
          source: 'EMAIL',
          attachments,
          idempotencyKey: messageKeyOf(parsed),
          emailMessageId: parsed.messageId ?? null,
          trimmedText: chat.trimmed,
          rawEmail: { inboundEmailId: email.inboundEmailId, blobKey: email.blobKey },
        }),
      );
      if (duplicate) this.dedups.inc({ reason: 'same-email' });
      messageIds.push(message.id);
    }

    if (plan.legacy.length > 0 && this.legacySystem) {
      // Cases 3-5: the raw email, unchanged, for each legacy alias. Idempotent (key: email id and
      // alias), so a redelivered event hands nothing over twice; if the legacy system stays down
      // this throws Unavailable and the consumer retries, then dead-letters: never a silent loss.
      const results = await this.legacySystem.handOverInboundEmail({
        inboundEmailId: email.inboundEmailId,
        blobKey: email.blobKey,
        rawSha256: email.sha256,
        legacyAliases: plan.legacy.map((l) => l.address),
        envelopeSender: email.envelope.sender,
      });
      for (const r of results) this.handOvers.inc({ result: r.duplicate ? 'duplicate' : 'handed-over' });
    } else if (plan.legacy.length > 0) {
      // No legacy bridge is configured: they stay recorded, raw email kept, for a replay once it is.
      this.handOvers.inc({ result: 'unconfigured' }, plan.legacy.length);
      this.logger.warn({ msg: `Email ${email.inboundEmailId} addresses ${plan.legacy.length} legacy alias(es); no legacy bridge is configured` });
    }
    if (messageIds.length > 0 || plan.legacy.length > 0) return { status: 'processed', messageIds, bounced: refused, legacy: plan.legacy.length };
    if (refused.length > 0) return { status: 'bounced', reasons: refused };
    return { status: 'ignored', reason: 'nothing-to-route' };
  }

  /**
   * A DSN for one of our notifications (its VERP address is among the recipients): the delivery
   * becomes `bounced`. A delayed-delivery report changes nothing. Returns the reports applied.
   */
  private async recordDeliveryReport(recipients: readonly string[], parsed: ParsedEmail): Promise<number> {
    const parse = this.options.deliveryOfBounceAddress;
    if (!parse) return 0;
    const deliveryIds = [...new Set(recipients.map((r) => parse(r)).filter((id): id is string => id !== null))];
    if (deliveryIds.length === 0) return 0;
    const report = readDeliveryReport(parsed);
    if (!report.permanent) return 0;
    const reason = [report.status, report.diagnostic].filter(Boolean).join(' ') || parsed.subject.slice(0, 200) || 'bounced';
    for (const deliveryId of deliveryIds) {
      const outcome = await this.commands.execute(
        new UpdateDeliveryStatusCommand({ deliveryId, status: 'bounced', reason, occurredAt: parsed.date ?? new Date(), source: 'email-dsn' }),
      );
      this.logger.log({ msg: `Delivery report for ${deliveryId}: ${outcome.status}`, deliveryId });
    }
    return deliveryIds.length;
  }

  /** Sends one bounce unless the sender must never get one or already got one this hour. */
  private async bounce(parsed: ParsedEmail, envelopeSender: string | null, reason: BounceReason): Promise<boolean> {
    const to = envelopeSender ?? parsed.from?.address ?? null;
    if (!to || !shouldBounce(parsed, envelopeSender)) return false;
    const now = new Date();
    if (!(await this.throttle.reserve(to, reason, now))) return false;
    try {
      const bounce = buildBounce(parsed, reason, { platformAddress: this.options.bounceFrom, aliasDomain: this.options.aliasDomain });
      await this.bounceSender.send(this.options.bounceFrom, { ...bounce, to });
    } catch (error) {
      await this.throttle.release(to, reason, now);
      throw error;
    }
    this.bounces.inc({ reason });
    return true;
  }

  private async storeAttachments(files: ParsedEmail['attachments']): Promise<AttachmentSnapshot[]> {
    return Promise.all(
      files.map(async (file) => {
        // Content-addressed: the same file sent twice is stored once.
        const blobKey = `attachments/${file.sha256.slice(0, 2)}/${file.sha256}`;
        if (!(await this.blobs.head(blobKey))) await this.blobs.put(blobKey, file.content, { contentType: file.contentType });
        return { id: file.sha256.slice(0, 32), filename: file.filename, contentType: file.contentType, size: file.size, sha256: file.sha256, blobKey };
      }),
    );
  }
}

/** The email's Message-ID, or a hash of what identifies its content when it has none. */
export function messageKeyOf(parsed: ParsedEmail): string {
  if (parsed.messageId) return `email:${parsed.messageId.toLowerCase()}`;
  const content = [parsed.from?.address ?? '', parsed.date?.toISOString() ?? '', parsed.subject, parsed.text ?? parsed.html ?? ''].join('\u0000');
  return `email-hash:${createHash('sha256').update(content).digest('hex')}`;
}
