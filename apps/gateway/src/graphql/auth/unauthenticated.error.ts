import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { DomainError } from '@libs/contracts';

/**
 * An authentication failure raised before GraphQL runs (while building the context): Apollo
 * answers it as a request error, so it carries its HTTP status (401 with a `WWW-Authenticate`
 * challenge, RFC 6750) instead of the 500 Apollo uses for a failed context.
 */
export function unauthenticatedRequestError(error: DomainError): GraphQLError {
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer realm="graphql", error="invalid_token"']]) },
    },
  });
}
