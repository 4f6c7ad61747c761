import { ApolloServerPlugin } from '@apollo/server';
import { Logger } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { ErrorCategory } from '@libs/contracts';
import { GraphqlContext } from '../auth/graphql-context';
import { classifyGraphqlError } from './graphql-error.mapping';

const logger = new Logger('GraphQL');

/** Logs what clients are not told: unexpected errors in full, outages as warnings. */
export function logGraphqlErrors(errors: readonly GraphQLError[], context: Partial<GraphqlContext> | undefined, operationName?: string | null): void {
  for (const error of errors) {
    const classified = classifyGraphqlError(error, error.extensions?.code);
    const fields = { requestId: context?.requestId, operationName: operationName ?? undefined, path: error.path?.join('.') };
    if (classified.kind === 'internal') {
      const cause = classified.error instanceof Error ? classified.error : new Error(String(classified.error));
      logger.error({ ...fields, err: cause }, `GraphQL operation failed unexpectedly: ${cause.message}`);
    } else if (classified.kind === 'domain' && classified.error.category === ErrorCategory.Unavailable) {
      logger.warn({ ...fields, code: classified.error.code, err: classified.error.cause }, `A dependency is unavailable: ${classified.error.code}`);
    }
  }
}

/**
 * Logs errors with the request id and echoes that id to the client (header `x-request-id`, and
 * `extensions.requestId` on internal errors) so a report can be matched to the log line.
 */
export function errorLoggingPlugin(): ApolloServerPlugin<GraphqlContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          logGraphqlErrors(errors, contextValue, operationName);
        },
        async willSendResponse({ response, contextValue }) {
          const requestId = contextValue?.requestId;
          if (!requestId) return;
          response.http.headers.set('x-request-id', requestId);
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) =>
            error.extensions?.code === 'INTERNAL_SERVER_ERROR' ? { ...error, extensions: { ...error.extensions, requestId } } : error,
          );
        },
      };
    },
  };
}
