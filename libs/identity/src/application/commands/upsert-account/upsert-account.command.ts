import { Command } from '@nestjs/cqrs';
import { Account } from '../../../domain/account';

/** Create or update the account that owns `email` (admin operation; idempotent). */
export class UpsertAccountCommand extends Command<Account> {
  constructor(
    readonly email: string,
    readonly displayName: string,
    /** Replaces the stored list when given; keeps it when omitted. */
    readonly previousEmails?: readonly string[],
  ) {
    super();
  }
}
