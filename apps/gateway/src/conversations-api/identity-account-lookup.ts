import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { AccountLookup } from '@libs/conversations';
import { FindAccountByEmailQuery } from '@libs/identity';

/** Links new participants to their account when the identity directory knows their address. */
@Injectable()
export class IdentityAccountLookup implements AccountLookup {
  constructor(private readonly queries: QueryBus) {}

  async accountIdForEmail(email: string): Promise<string | null> {
    const account = await this.queries.execute(new FindAccountByEmailQuery(email));
    return account?.id ?? null;
  }
}
