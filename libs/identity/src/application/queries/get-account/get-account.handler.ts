import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Account } from '../../../domain/account';
import { IDENTITY_DIRECTORY, IdentityDirectory } from '../../../domain/identity-directory.port';
import { GetAccountQuery } from './get-account.query';

/** Ids are opaque strings chosen by the directory; longer ones cannot exist. */
const MAX_ACCOUNT_ID_LENGTH = 256;

@QueryHandler(GetAccountQuery)
export class GetAccountHandler implements IQueryHandler<GetAccountQuery, Account | null> {
  constructor(@Inject(IDENTITY_DIRECTORY) private readonly directory: IdentityDirectory) {}

  async execute(query: GetAccountQuery): Promise<Account | null> {
    const id = query.accountId.trim();
    if (!id || id.length > MAX_ACCOUNT_ID_LENGTH) return null;
    return this.directory.findById(id);
  }
}
