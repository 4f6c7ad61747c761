import { ErrorCategory } from '@libs/contracts';
import { inboundEmailTestBed, TEST_SIGNING_KEY } from '../../testing';
import { InboundEmailErrorCode } from '../../domain/inbound-email.errors';
import { mailgunSignatureOf } from '../../domain/mailgun-signature';

describe('MailgunWebhookVerifier', () => {
  function signed(now: Date, token = 'a'.repeat(50), offsetSeconds = 0) {
    const timestamp = String(Math.floor(now.getTime() / 1000) + offsetSeconds);
    return { timestamp, token, signature: mailgunSignatureOf(timestamp, token, TEST_SIGNING_KEY) };
  }

  async function refusal(promise: Promise<unknown>) {
    const error = (await promise.then(() => undefined, (e: unknown) => e)) as { code?: string; category?: string } | undefined;
    return error && { code: error.code, category: error.category };
  }

  it('accepts a signed, fresh, new post and remembers its token until its timestamp turns stale', async () => {
    const { verifier, clock, tokens, close } = await inboundEmailTestBed();
    const post = signed(clock.now());
    await expect(verifier.verify(post)).resolves.toBeDefined();
    expect(tokens.tokens.get(post.token)?.getTime()).toBe((Number(post.timestamp) + 300) * 1000 + 60_000);
    await close();
  });

  it('refuses missing fields and bad signatures with 401-class errors, before touching tokens', async () => {
    const { verifier, clock, tokens, close } = await inboundEmailTestBed();
    const post = signed(clock.now());
    const unauthenticated = (code: string) => ({ code, category: ErrorCategory.Unauthenticated });
    expect(await refusal(verifier.verify({ timestamp: post.timestamp, token: post.token }))).toEqual(unauthenticated(InboundEmailErrorCode.MailgunSignatureMissing));
    expect(await refusal(verifier.verify({}))).toEqual(unauthenticated(InboundEmailErrorCode.MailgunSignatureMissing));
    expect(await refusal(verifier.verify({ ...post, signature: mailgunSignatureOf(post.timestamp, post.token, 'another-key-0123456789') }))).toEqual(
      unauthenticated(InboundEmailErrorCode.MailgunSignatureInvalid),
    );
    expect(await refusal(verifier.verify({ ...post, token: 'b'.repeat(50) }))).toEqual(unauthenticated(InboundEmailErrorCode.MailgunSignatureInvalid));
    expect(tokens.tokens.size).toBe(0);
    await close();
  });

  it('refuses stale and far-future timestamps with 403-class errors', async () => {
    const { verifier, clock, close } = await inboundEmailTestBed();
    const forbidden = { code: InboundEmailErrorCode.MailgunTimestampStale, category: ErrorCategory.Forbidden };
    expect(await refusal(verifier.verify(signed(clock.now(), 'a'.repeat(50), -301)))).toEqual(forbidden);
    expect(await refusal(verifier.verify(signed(clock.now(), 'b'.repeat(50), 301)))).toEqual(forbidden);
    await expect(verifier.verify(signed(clock.now(), 'c'.repeat(50), -299))).resolves.toBeDefined();
    await close();
  });

  it('refuses a replayed token, and accepts it again once the first post released it', async () => {
    const { verifier, clock, close } = await inboundEmailTestBed();
    const post = signed(clock.now());
    const claim = await verifier.verify(post);
    expect(await refusal(verifier.verify(post))).toEqual({ code: InboundEmailErrorCode.MailgunTokenReplayed, category: ErrorCategory.Forbidden });
    await claim.release();
    await expect(verifier.verify(post)).resolves.toBeDefined();
    await close();
  });

  it.each(['fail', 'hang'] as const)('checks replays in-process while the token store is down (%s)', async (fault) => {
    const { verifier, clock, tokens, close } = await inboundEmailTestBed();
    tokens.fault = fault;
    const post = signed(clock.now());
    const claim = await verifier.verify(post);
    expect(await refusal(verifier.verify(post))).toMatchObject({ code: InboundEmailErrorCode.MailgunTokenReplayed });
    tokens.fault = 'none';
    clock.advance(5_000); // the store is tried again after recordRetryAfterMs
    // Back up: a token claimed during the outage is still a replay.
    expect(await refusal(verifier.verify(post))).toMatchObject({ code: InboundEmailErrorCode.MailgunTokenReplayed });
    await claim.release();
    await expect(verifier.verify(post)).resolves.toBeDefined();
    await close();
  });
});
