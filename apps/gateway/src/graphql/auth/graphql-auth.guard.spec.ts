import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCategory } from '@libs/contracts';
import { Principal } from '@libs/auth';
import { ADMIN_ONLY } from './admin-only.decorator';
import { ADMIN_ROLE_REQUIRED, GraphqlAuthGuard } from './graphql-auth.guard';

const user: Principal = { accountId: 'u1', email: 'u@example.com', roles: [], isAdmin: false };
const admin: Principal = { ...user, roles: ['admin'], isAdmin: true };

class Resolver {
  handler(): void {}
  admin(): void {}
}
Reflect.defineMetadata(ADMIN_ONLY, true, Resolver.prototype.admin);

function graphqlContext(principal: Principal | undefined, handler: () => void): ExecutionContext {
  return {
    getType: () => 'graphql',
    getHandler: () => handler,
    getClass: () => Resolver,
    getArgs: () => [{}, {}, { principal }, {}],
    getArgByIndex: (index: number) => [{}, {}, { principal }, {}][index],
  } as unknown as ExecutionContext;
}

describe('GraphqlAuthGuard', () => {
  const guard = new GraphqlAuthGuard(new Reflector());

  it('lets HTTP controllers through: they have their own credentials', () => {
    expect(guard.canActivate({ getType: () => 'http' } as unknown as ExecutionContext)).toBe(true);
  });

  it('requires a principal for every resolver', () => {
    expect(() => guard.canActivate(graphqlContext(undefined, Resolver.prototype.handler))).toThrow(
      expect.objectContaining({ category: ErrorCategory.Unauthenticated, code: 'TOKEN_MISSING' }),
    );
    expect(guard.canActivate(graphqlContext(user, Resolver.prototype.handler))).toBe(true);
  });

  it('requires the admin role for @AdminOnly() resolvers', () => {
    expect(() => guard.canActivate(graphqlContext(user, Resolver.prototype.admin))).toThrow(
      expect.objectContaining({ category: ErrorCategory.Forbidden, code: ADMIN_ROLE_REQUIRED }),
    );
    expect(guard.canActivate(graphqlContext(admin, Resolver.prototype.admin))).toBe(true);
  });

  it('refuses a token that expired since the connection opened', () => {
    const expired = { ...user, expiresAt: new Date(Date.now() - 60_000) };
    expect(() => guard.canActivate(graphqlContext(expired, Resolver.prototype.handler))).toThrow(expect.objectContaining({ code: 'TOKEN_EXPIRED' }));
  });
});
