import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { QueryBus } from '@nestjs/cqrs';
import { GetAccountQuery } from '@libs/identity';
import { AccountType } from '../graphql/accounts/account.type';
import { ParticipantType } from './conversation.types';

@Resolver(() => ParticipantType)
export class ParticipantsResolver {
  constructor(private readonly queries: QueryBus) {}

  /** Null for email-only participants, who take part through their alias alone. */
  @ResolveField(() => AccountType, { name: 'account', nullable: true })
  async account(@Parent() participant: ParticipantType): Promise<AccountType | null> {
    if (!participant.accountId) return null;
    const account = await this.queries.execute(new GetAccountQuery(participant.accountId));
    return account ? AccountType.from(account) : null;
  }
}
