import { Query } from '@nestjs/cqrs';
import { Account } from '../../../domain/account';

/** The account with this id, or null. */
export class GetAccountQuery extends Query<Account | null> {
  constructor(readonly accountId: string) {
    super();
  }
}
