import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Account } from '@libs/identity';

/** `type Account { id: ID!, email: String!, displayName: String! }` (DESIGN §6). */
@ObjectType('Account')
export class AccountType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String)
  displayName!: string;

  static from(account: Pick<Account, 'id' | 'email' | 'displayName'>): AccountType {
    return Object.assign(new AccountType(), { id: account.id, email: account.email, displayName: account.displayName });
  }
}
