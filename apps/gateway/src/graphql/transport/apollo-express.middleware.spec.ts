import type { ServerResponse } from 'node:http';
import { bodyParserErrors, bodySizeLimit, HttpRequest } from './apollo-express.middleware';

function response() {
  const sent: { status?: number; headers: Record<string, unknown>; body?: string } = { headers: {} };
  const res = {
    set statusCode(value: number) {
      sent.status = value;
    },
    setHeader: (name: string, value: unknown) => (sent.headers[name] = value),
    end: (body: string) => (sent.body = body),
  } as unknown as ServerResponse;
  return { res, sent };
}

const request = (headers: Record<string, string>) => ({ headers }) as unknown as HttpRequest;

describe('HTTP guards in front of Apollo', () => {
  it('refuses a declared body over the limit with a GraphQL-shaped 413', () => {
    const { res, sent } = response();
    const next = jest.fn();
    bodySizeLimit(100)(request({ 'content-length': '101' }), res, next);
    expect(next).not.toHaveBeenCalled();
    expect(sent.status).toBe(413);
    expect(JSON.parse(sent.body!)).toEqual({ errors: [{ message: 'The request body is larger than 100 bytes.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('lets bodies within the limit, or without a declared length, through', () => {
    const next = jest.fn();
    bodySizeLimit(100)(request({ 'content-length': '100' }), response().res, next);
    bodySizeLimit(100)(request({}), response().res, next);
    expect(next).toHaveBeenCalledTimes(2);
  });

  it("translates the JSON parser's refusals, and passes other errors on", () => {
    const tooLarge = response();
    bodyParserErrors(100)({ type: 'entity.too.large' }, request({}), tooLarge.res, jest.fn());
    expect(tooLarge.sent.status).toBe(413);

    const malformed = response();
    bodyParserErrors(100)({ type: 'entity.parse.failed' }, request({}), malformed.res, jest.fn());
    expect(malformed.sent.status).toBe(400);
    expect(JSON.parse(malformed.sent.body!).errors[0].extensions.code).toBe('BAD_REQUEST');

    const next = jest.fn();
    const other = new Error('boom');
    bodyParserErrors(100)(other, request({}), response().res, next);
    expect(next).toHaveBeenCalledWith(other);
  });
});
