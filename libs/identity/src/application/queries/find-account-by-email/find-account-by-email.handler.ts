import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Account } from '../../../domain/account';
import { isValidEmail } from '../../../domain/email-address';
import { IDENTITY_DIRECTORY, IdentityDirectory } from '../../../domain/identity-directory.port';
import { FindAccountByEmailQuery } from './find-account-by-email.query';

@QueryHandler(FindAccountByEmailQuery)
export class FindAccountByEmailHandler implements IQueryHandler<FindAccountByEmailQuery, Account | null> {
  constructor(@Inject(IDENTITY_DIRECTORY) private readonly directory: IdentityDirectory) {}

  async execute(query: FindAccountByEmailQuery): Promise<Account | null> {
    // Senders of inbound mail are whatever the Internet sends: an address no account could
    // have is simply unknown, not a caller error, and is not worth a round trip.
    if (!isValidEmail(query.email)) return null;
    return this.directory.findByEmail(query.email);
  }
}
