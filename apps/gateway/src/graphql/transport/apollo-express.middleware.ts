import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * HTTP guards in front of Apollo's Express integration. What this file needs of Express, without
 * depending on Express's types.
 */
export type HttpRequest = IncomingMessage & { body?: unknown; id?: string | number };
export type Next = (error?: unknown) => void;
export type Middleware = (req: HttpRequest, res: ServerResponse, next: Next) => void;
export type ErrorMiddleware = (error: unknown, req: HttpRequest, res: ServerResponse, next: Next) => void;

/** A GraphQL-shaped error response for failures that happen before GraphQL runs. */
export function sendGraphqlHttpError(res: ServerResponse, status: number, code: string, message: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/**
 * Refuses bodies over `maxBytes` from their declared length, before anything reads them. Bodies
 * sent without a length are capped by the JSON parser; its refusal is translated below.
 */
export function bodySizeLimit(maxBytes: number): Middleware {
  return (req, res, next) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      sendGraphqlHttpError(res, 413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`);
      return;
    }
    next();
  };
}

/**
 * The app-wide JSON parser runs before any GraphQL code; its failures would otherwise reach
 * Express's default handler, which answers in HTML (with a stack trace outside production).
 */
export function bodyParserErrors(maxBytes: number): ErrorMiddleware {
  // Express recognises error middleware by its four parameters.
  return (error, _req, res, next) => {
    const type = (error as { type?: unknown } | undefined)?.type;
    if (type === 'entity.too.large') {
      sendGraphqlHttpError(res, 413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`);
    } else if (type === 'entity.parse.failed') {
      sendGraphqlHttpError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON.');
    } else if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      sendGraphqlHttpError(res, 415, 'BAD_REQUEST', 'The request body encoding is not supported.');
    } else {
      next(error);
    }
  };
}
