import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { DomainError, ErrorCategory } from '@libs/contracts';
import { AuthErrorCode, authError } from '@libs/auth';
import { ADMIN_ONLY } from './admin-only.decorator';
import { GraphqlContext } from './graphql-context';

export const ADMIN_ROLE_REQUIRED = 'ADMIN_ROLE_REQUIRED';

/**
 * Registered globally: every GraphQL resolver requires an authenticated caller, and `@AdminOnly()`
 * ones the admin role. HTTP controllers (ingresses, health, metrics) pass through: they have
 * their own credentials.
 */
@Injectable()
export class GraphqlAuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType<GqlContextType>() !== 'graphql') return true;
    const { principal } = GqlExecutionContext.create(context).getContext<Partial<GraphqlContext>>();
    if (!principal) throw authError(AuthErrorCode.TokenMissing);
    // A graphql-ws connection outlives the token it opened with; each operation re-checks.
    if (principal.expiresAt && principal.expiresAt.getTime() + 5_000 < Date.now()) throw authError(AuthErrorCode.TokenExpired);
    const adminOnly = this.reflector.getAllAndOverride<boolean | undefined>(ADMIN_ONLY, [context.getHandler(), context.getClass()]);
    if (adminOnly && !principal.isAdmin) {
      throw new DomainError(ADMIN_ROLE_REQUIRED, ErrorCategory.Forbidden, 'This operation requires the admin role.');
    }
    return true;
  }
}
