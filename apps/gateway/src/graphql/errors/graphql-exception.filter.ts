import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { GqlContextType } from '@nestjs/graphql';

/**
 * Hands errors thrown by resolvers, guards and pipes straight to Apollo, where
 * formatGraphqlError shapes them and the error-logging plugin logs the unexpected ones once,
 * with the request id. Without it Nest logs every DomainError (a wrong password, a missing
 * role) as an application error with a stack trace.
 *
 * Registered globally, so outside GraphQL it behaves exactly like Nest's default handler.
 * HTTP controllers that map errors themselves do so with a controller-level filter, which Nest
 * tries before this one.
 */
@Catch()
export class GraphqlExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() === 'graphql') return exception;
    return super.catch(exception, host);
  }
}
