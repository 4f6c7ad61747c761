import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Principal } from '@libs/auth';
import { Account, FindAccountByEmailQuery, GetAccountQuery, UpsertAccountCommand } from '@libs/identity';
import { AdminOnly } from '../auth/admin-only.decorator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { AccountInput } from './account.input';
import { AccountType } from './account.type';

@Resolver(() => AccountType)
export class AccountsResolver {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  /**
   * The caller's account: by the token's `sub`, else by its email (current or previous
   * address), else one made up from the token's claims — a valid token is enough to be
   * somebody, even before an admin has registered the account.
   */
  @Query(() => AccountType, { name: 'me' })
  async me(@CurrentPrincipal() principal: Principal): Promise<AccountType> {
    const account =
      (await this.queries.execute(new GetAccountQuery(principal.accountId))) ??
      (await this.queries.execute(new FindAccountByEmailQuery(principal.email)));
    return AccountType.from(account ?? accountFromClaims(principal));
  }

  @AdminOnly()
  @Mutation(() => AccountType, { name: 'upsertAccount' })
  async upsertAccount(@Args('input', { type: () => AccountInput }) input: AccountInput): Promise<AccountType> {
    const account = await this.commands.execute(new UpsertAccountCommand(input.email, input.displayName, input.previousEmails ?? undefined));
    return AccountType.from(account);
  }
}

function accountFromClaims(principal: Principal): Pick<Account, 'id' | 'email' | 'displayName'> {
  return { id: principal.accountId, email: principal.email, displayName: principal.email.split('@')[0] || principal.email };
}
