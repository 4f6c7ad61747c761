import { Inject, Injectable, Logger } from '@nestjs/common';
import { MetricsService } from '@libs/observability';
import { InboundEmailErrorCode, MailgunWebhookRefusedError } from '../../domain/inbound-email.errors';
import { isFreshMailgunTimestamp, isValidMailgunSignature, mailgunTokenExpiry } from '../../domain/mailgun-signature';
import { MAILGUN_TOKEN_STORE, MailgunTokenStore } from '../../domain/mailgun-token-store.port';
import { INBOUND_CLOCK, INBOUND_EMAIL_OPTIONS, InboundClock, ResolvedInboundEmailOptions } from '../../inbound-email.options';
import { Circuit, CircuitOpenError, RECORDS_CIRCUIT } from '../circuit';
import { withDeadline } from '../deadline';

export interface MailgunWebhookFields {
  timestamp?: string;
  token?: string;
  signature?: string;
}

/** A verified post's token, held until the post is accepted or refused. */
export interface MailgunTokenClaim {
  /** Call when the post was not accepted, so that Mailgun's retry of it is not refused as a replay. */
  release(): Promise<void>;
}

/** Tokens claimed while the shared store was unreachable; bounded, see `claimLocally`. */
const MAX_LOCAL_CLAIMS = 200_000;
/** Instances' clocks differ a little; a token is remembered that much longer. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Proves a Mailgun webhook post is Mailgun's and new: the signature (HMAC-SHA256 of
 * timestamp + token under the signing key, compared in constant time), the timestamp within
 * the window either way, and the token never accepted before. Checked in that order, so only
 * correctly signed posts can claim tokens.
 */
@Injectable()
export class MailgunWebhookVerifier {
  private readonly logger = new Logger(MailgunWebhookVerifier.name);
  /**
   * Replay protection while the shared store is down, within this process only (no state that
   * must survive a restart: a token is worthless once its timestamp is stale).
   */
  private readonly localClaims = new Map<string, number>();
  private readonly storeFailures;

  constructor(
    @Inject(MAILGUN_TOKEN_STORE) private readonly store: MailgunTokenStore,
    @Inject(INBOUND_EMAIL_OPTIONS) private readonly options: ResolvedInboundEmailOptions,
    @Inject(INBOUND_CLOCK) private readonly clock: InboundClock,
    @Inject(RECORDS_CIRCUIT) private readonly circuit: Circuit,
    metrics: MetricsService,
  ) {
    this.storeFailures = metrics.counter('mailgun_token_store_failures_total', 'Mailgun token claims decided in-process because MongoDB failed or was slow');
  }

  /** @throws MailgunWebhookRefusedError: 401 (missing or bad signature) or 403 (stale, replayed) */
  async verify(fields: MailgunWebhookFields): Promise<MailgunTokenClaim> {
    const mailgun = this.options.mailgun;
    if (!mailgun) throw new Error('The Mailgun ingress needs the signing key (InboundEmailModule option mailgun.signingKey)');
    const { timestamp, token, signature } = fields;
    if (!timestamp || !token || !signature) throw new MailgunWebhookRefusedError(InboundEmailErrorCode.MailgunSignatureMissing);
    if (!isValidMailgunSignature({ timestamp, token, signature }, mailgun.signingKey)) {
      throw new MailgunWebhookRefusedError(InboundEmailErrorCode.MailgunSignatureInvalid);
    }
    const now = this.clock.now();
    if (!isFreshMailgunTimestamp(timestamp, now, mailgun.maxAgeSeconds)) throw new MailgunWebhookRefusedError(InboundEmailErrorCode.MailgunTimestampStale);
    const expiresAt = new Date(mailgunTokenExpiry(timestamp, mailgun.maxAgeSeconds).getTime() + CLOCK_SKEW_MS);
    if (!(await this.claim(token, expiresAt, now))) throw new MailgunWebhookRefusedError(InboundEmailErrorCode.MailgunTokenReplayed);
    return { release: () => this.release(token) };
  }

  private async claim(token: string, expiresAt: Date, now: Date): Promise<boolean> {
    if (this.localClaims.has(token)) return false;
    try {
      return await this.circuit.run(() => withDeadline(this.store.claim(token, expiresAt), this.options.recordTimeoutMs, 'MongoDB'));
    } catch (error) {
      this.storeFailures.inc();
      if (!(error instanceof CircuitOpenError)) {
        this.logger.warn({ msg: 'Mailgun token store unavailable; checking replays in this process only for a while', error: (error as Error).message });
      }
      return this.claimLocally(token, expiresAt, now);
    }
  }

  private claimLocally(token: string, expiresAt: Date, now: Date): boolean {
    for (const [claimed, until] of this.localClaims) {
      // Insertion order is roughly expiry order: stop at the first live one.
      if (until > now.getTime() && this.localClaims.size < MAX_LOCAL_CLAIMS) break;
      this.localClaims.delete(claimed);
    }
    this.localClaims.set(token, expiresAt.getTime());
    return true;
  }

  private async release(token: string): Promise<void> {
    this.localClaims.delete(token);
    try {
      await this.circuit.run(() => withDeadline(this.store.release(token), this.options.recordTimeoutMs, 'MongoDB'));
    } catch (error) {
      // The retry will be refused as a replay until the token expires; Mailgun retries for hours.
      this.logger.warn({ msg: 'Could not release a Mailgun token', error: (error as Error).message });
    }
  }
}
