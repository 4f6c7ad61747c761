import { Query } from '@nestjs/cqrs';
import { Account } from '../../../domain/account';

/** The account whose current or previous address is `email`, or null. */
export class FindAccountByEmailQuery extends Query<Account | null> {
  constructor(readonly email: string) {
    super();
  }
}
