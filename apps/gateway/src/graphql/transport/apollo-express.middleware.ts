import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, BaseContext, HeaderMap, HTTPGraphQLRequest } from '@apollo/server';

/** What this file needs of Express, without depending on Express's types. */
export type HttpRequest = IncomingMessage & { body?: unknown; id?: string | number };
export type Next = (error?: unknown) => void;
export type Middleware = (req: HttpRequest, res: ServerResponse, next: Next) => void;
export type ErrorMiddleware = (error: unknown, req: HttpRequest, res: ServerResponse, next: Next) => void;

export type HttpContextFunction = (args: { req: HttpRequest; res: ServerResponse }) => Promise<BaseContext>;

/**
 * Runs Apollo Server for one HTTP request through its framework-neutral API
 * (executeHTTPGraphQLRequest). @nestjs/apollo 13 would load @as-integrations/express5 for this,
 * which is not a dependency of this project; the integration is this small function.
 */
export function apolloExpressMiddleware(server: ApolloServer<BaseContext>, context: HttpContextFunction): Middleware {
  return (req, res, next) => {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      headers,
      search: new URL(req.url ?? '/', 'http://gateway').search,
      // Express 5's JSON parser leaves `body` undefined when there is none.
      body: req.body ?? {},
    };
    server
      .executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => context({ req, res }) })
      .then(async (response) => {
        for (const [name, value] of response.headers) res.setHeader(name, value);
        res.statusCode = response.status ?? 200;
        if (response.body.kind === 'complete') {
          res.end(response.body.string);
          return;
        }
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      })
      .catch(next);
  };
}

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
