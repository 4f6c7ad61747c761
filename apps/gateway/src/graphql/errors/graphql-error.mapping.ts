import { HttpException } from '@nestjs/common';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { DomainError, ErrorCategory, isDomainError } from '@libs/contracts';

/** How each category of DomainError reads in GraphQL `extensions.code`. */
export const GRAPHQL_CODE_OF_CATEGORY: Record<ErrorCategory, string> = {
  [ErrorCategory.NotFound]: 'NOT_FOUND',
  [ErrorCategory.Invalid]: 'BAD_USER_INPUT',
  [ErrorCategory.Unauthenticated]: 'UNAUTHENTICATED',
  [ErrorCategory.Forbidden]: 'FORBIDDEN',
  [ErrorCategory.Conflict]: 'CONFLICT',
  [ErrorCategory.Unavailable]: 'SERVICE_UNAVAILABLE',
};

/**
 * Errors graphql-js and Apollo raise about the request itself (syntax, unknown fields, bad
 * variables, limits): their messages describe the client's document, so they pass unchanged.
 */
const CLIENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'PAYLOAD_TOO_LARGE',
]);

const CODE_OF_HTTP_STATUS: Record<number, string> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'BAD_USER_INPUT',
  422: 'BAD_USER_INPUT',
  503: 'SERVICE_UNAVAILABLE',
};

export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

export type ClassifiedError =
  | { kind: 'domain'; error: DomainError; code: string }
  | { kind: 'http'; error: HttpException; code: string }
  | { kind: 'client'; code: string }
  | { kind: 'internal'; error: unknown };

/** The error a resolver, guard or pipe threw, beneath graphql-js's and Apollo's wrappers. */
export function unwrapGraphqlError(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof GraphQLError && current.originalError; depth++) current = current.originalError;
  return current;
}

export function classifyGraphqlError(error: unknown, formattedCode?: unknown): ClassifiedError {
  const original = unwrapGraphqlError(error);
  if (isDomainError(original)) return { kind: 'domain', error: original, code: GRAPHQL_CODE_OF_CATEGORY[original.category] };
  if (original instanceof HttpException) {
    const code = CODE_OF_HTTP_STATUS[original.getStatus()];
    return code ? { kind: 'http', error: original, code } : { kind: 'internal', error: original };
  }
  const code = original instanceof GraphQLError ? original.extensions?.code ?? formattedCode : error === original ? formattedCode : undefined;
  if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code) && (original instanceof GraphQLError || original === error)) {
    return { kind: 'client', code };
  }
  return { kind: 'internal', error: original };
}

/**
 * Apollo's `formatError`: the only place GraphQL errors get their public shape. Domain errors
 * show their safe message with `extensions.code` from their category and `extensions.reason`
 * from their code; request errors keep Apollo's codes; anything else is an "Internal server
 * error" with no detail (the error-logging plugin logs the real one with the request id).
 */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const position = {
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  const classified = classifyGraphqlError(error, formatted.extensions?.code);
  switch (classified.kind) {
    case 'domain':
      return { message: classified.error.message, ...position, extensions: { code: classified.code, reason: classified.error.code } };
    case 'http':
      return { message: classified.error.message, ...position, extensions: { code: classified.code } };
    case 'client': {
      const { stacktrace: _stacktrace, exception: _exception, originalError: _originalError, ...extensions } = formatted.extensions ?? {};
      return { message: formatted.message, ...position, extensions: { ...extensions, code: classified.code } };
    }
    default:
      return { message: INTERNAL_ERROR_MESSAGE, ...position, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
}
