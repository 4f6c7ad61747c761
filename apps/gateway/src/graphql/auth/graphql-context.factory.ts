import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { isDomainError } from '@libs/contracts';
import { AuthErrorCode, authError, verifyAuthorization } from '@libs/auth';
import { isWsContext, principalOfConnection } from '../subscriptions/graphql-ws.options';
import type { HttpRequest } from '../transport/apollo-express.middleware';
import { GraphqlContext } from './graphql-context';
import { unauthenticatedRequestError } from './unauthenticated.error';

/**
 * Builds the GraphQL context for both transports. Over HTTP the bearer token is verified here,
 * so no operation (introspection included) runs without a valid one; over graphql-ws it was
 * verified when the connection opened.
 */
export function graphqlContextFactory(jwtSecret: string) {
  return async (arg: unknown): Promise<GraphqlContext> => {
    if (isWsContext(arg)) {
      const principal = principalOfConnection(arg);
      if (!principal) throw authError(AuthErrorCode.TokenMissing);
      return { req: arg.extra.request, requestId: `ws-${randomUUID()}`, principal, transport: 'ws' };
    }
    const { req } = arg as { req: HttpRequest; res: ServerResponse };
    try {
      const principal = await verifyAuthorization(req.headers.authorization, jwtSecret);
      return { req, requestId: String(req.id ?? randomUUID()), principal, transport: 'http' };
    } catch (error) {
      throw isDomainError(error) ? unauthenticatedRequestError(error) : error;
    }
  };
}
