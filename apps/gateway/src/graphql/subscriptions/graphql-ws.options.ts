import type { IncomingMessage } from 'node:http';
import { Logger } from '@nestjs/common';
import { GraphQLError, GraphQLSchema, parse, specifiedRules, validate } from 'graphql';
import type { Context, ServerOptions } from 'graphql-ws';
import { isDomainError } from '@libs/contracts';
import { Principal, verifyAuthorization } from '@libs/auth';
import { logGraphqlErrors } from '../errors/error-logging.plugin';
import { formatGraphqlError } from '../errors/graphql-error.mapping';
import { GraphqlContext } from '../auth/graphql-context';
import { GraphqlLimits } from '../graphql-api.constants';
import { depthLimitRule } from '../limits/depth-limit.rule';
import { complexityError } from '../limits/query-complexity';

/** graphql-ws's `extra` on a Node `ws` server. */
interface WsExtra {
  request: IncomingMessage;
  socket: { close(code: number, reason: string): void };
}
type WsContext = Context<Record<string, unknown> | undefined, WsExtra>;

/** graphql-ws: the server refuses the connection (RFC 6455 application close code). */
const CLOSE_FORBIDDEN = 4403;
const logger = new Logger('GraphQL.ws');

/** The principal each open connection authenticated as, in onConnect. */
const principals = new WeakMap<object, Principal>();

export function principalOfConnection(ctx: object): Principal | undefined {
  return principals.get(ctx);
}

export function isWsContext(value: unknown): value is WsContext {
  return typeof value === 'object' && value !== null && 'connectionInitReceived' in value && 'extra' in value;
}

/** Browsers cannot set headers on a WebSocket, so the token travels in connection_init. */
function authorizationOf(params: Record<string, unknown> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
}

export interface GraphqlWsOptionsInput {
  jwtSecret: string;
  /** The executable schema, available once Nest has built it. */
  schema: () => GraphQLSchema;
}

/**
 * Options for graphql-ws (subscriptions, and queries over the same socket): the connection is
 * refused without a valid bearer token; each operation is checked against the same depth and
 * complexity limits as HTTP; errors are formatted as over HTTP.
 */
export function graphqlWsOptions({ jwtSecret, schema }: GraphqlWsOptionsInput): Partial<ServerOptions<Record<string, unknown> | undefined, WsExtra>> {
  return {
    connectionInitWaitTimeout: 10_000,

    async onConnect(ctx: WsContext) {
      try {
        principals.set(ctx, await verifyAuthorization(authorizationOf(ctx.connectionParams), jwtSecret));
        return true;
      } catch (error) {
        if (!isDomainError(error)) throw error;
        // The close reason is what a client sees; graphql-ws's default is a bare "Forbidden".
        ctx.extra.socket.close(CLOSE_FORBIDDEN, `Forbidden: ${error.message}`.slice(0, 120));
        return false;
      }
    },

    async onSubscribe(_ctx, _id, payload) {
      let document;
      try {
        document = parse(payload.query);
      } catch (error) {
        return [error instanceof GraphQLError ? error : new GraphQLError('The operation could not be parsed.')];
      }
      const executable = schema();
      const errors = validate(executable, document, [...specifiedRules, depthLimitRule(GraphqlLimits)]);
      if (errors.length) return [...errors];
      const tooComplex = complexityError(executable, document, payload.variables ?? undefined, payload.operationName);
      if (tooComplex) return [tooComplex];
      return { schema: executable, document, variableValues: payload.variables, operationName: payload.operationName };
    },

    async onNext(_ctx, _id, _payload, args, result) {
      if (!result.errors?.length) return undefined;
      logGraphqlErrors(result.errors, args.contextValue as Partial<GraphqlContext>);
      return { ...result, errors: result.errors.map((error) => formatGraphqlError(error.toJSON(), error)) };
    },

    async onError(_ctx, _id, _payload, errors) {
      return errors.map((error) => formatGraphqlError(error.toJSON(), error));
    },

    async onClose(ctx, code) {
      if (code !== 1000 && code !== 1001 && code !== CLOSE_FORBIDDEN) logger.debug(`graphql-ws connection closed with ${code}`);
      principals.delete(ctx);
    },
  };
}
