import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthErrorCode, authError, Principal } from '@libs/auth';
import { GraphqlContext } from './graphql-context';

/** The authenticated caller of a GraphQL resolver: `me(@CurrentPrincipal() principal: Principal)`. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const { principal } = GqlExecutionContext.create(context).getContext<Partial<GraphqlContext>>();
  if (!principal) throw authError(AuthErrorCode.TokenMissing);
  return principal;
});
