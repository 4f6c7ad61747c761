import { Module } from '@nestjs/common';
import { AccountsResolver } from './accounts.resolver';

/**
 * The Account part of the GraphQL schema (`me`, `upsertAccount`). Needs the identity handlers
 * (IdentityModule) and the CQRS buses (CqrsModule.forRoot()) in the app.
 */
@Module({ providers: [AccountsResolver] })
export class AccountsApiModule {}
