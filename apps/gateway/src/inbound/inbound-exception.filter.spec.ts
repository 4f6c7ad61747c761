import { ArgumentsHost, Logger, NotFoundException } from '@nestjs/common';
import { DomainError, ErrorCategory } from '@libs/contracts';
import { InboundDependencyUnavailableError, InboundEmailErrorCode, InboundEmailTooLargeError, MailgunWebhookRefusedError } from '@libs/inbound-email';
import { credentialsRequired, malformedRequest, unsupportedMediaType } from './inbound-http.errors';
import { InboundExceptionFilter, ingressStatusOf } from './inbound-exception.filter';

function respond(exception: unknown) {
  const headers: Record<string, string> = {};
  const res = {
    statusCode: 0,
    body: '',
    headersSent: false,
    destroyed: false,
    setHeader: (name: string, value: string) => (headers[name] = value),
    end(body: string) {
      this.body = body;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new InboundExceptionFilter().catch(exception, host);
  return { status: res.statusCode, headers, body: JSON.parse(res.body) as { error: { code: string; message: string } } };
}

describe('InboundExceptionFilter', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it.each([
    [new InboundEmailTooLargeError(10), 413],
    [unsupportedMediaType('message/rfc822'), 415],
    [malformedRequest('x'), 400],
    [new MailgunWebhookRefusedError(InboundEmailErrorCode.MailgunSignatureInvalid), 401],
    [new MailgunWebhookRefusedError(InboundEmailErrorCode.MailgunTokenReplayed), 403],
    [new InboundDependencyUnavailableError(InboundEmailErrorCode.QueueUnavailable, new Error('down')), 503],
    [new DomainError('X', ErrorCategory.Conflict, 'x'), 409],
    [new NotFoundException(), 404],
    [new Error('boom'), 500],
  ])('maps %s to %i', (error, status) => {
    expect(ingressStatusOf(error)).toBe(status);
    expect(respond(error).status).toBe(status);
  });

  it('answers 503 with Retry-After and the safe message', () => {
    const answer = respond(new InboundDependencyUnavailableError(InboundEmailErrorCode.StorageUnavailable, new Error('S3 at http://10.0.0.1 down')));
    expect(answer.headers['retry-after']).toBe('30');
    expect(answer.body.error).toEqual({ code: 'INBOUND_STORAGE_UNAVAILABLE', message: 'Email storage is unavailable; nothing was accepted, retry later.' });
  });

  it('challenges for basic credentials', () => {
    const answer = respond(credentialsRequired());
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Basic realm="inbound", charset="UTF-8"');
  });

  it('hides unexpected errors', () => {
    const answer = respond(new Error('secret internals at /srv/app'));
    expect(answer.body.error.code).toBe('INTERNAL');
    expect(JSON.stringify(answer.body)).not.toContain('secret');
  });
});
