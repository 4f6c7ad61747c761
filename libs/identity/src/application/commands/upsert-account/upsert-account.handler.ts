import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Account, createAccountProfile } from '../../../domain/account';
import { IDENTITY_DIRECTORY, IdentityDirectory } from '../../../domain/identity-directory.port';
import { UpsertAccountCommand } from './upsert-account.command';

@CommandHandler(UpsertAccountCommand)
export class UpsertAccountHandler implements ICommandHandler<UpsertAccountCommand, Account> {
  constructor(@Inject(IDENTITY_DIRECTORY) private readonly directory: IdentityDirectory) {}

  async execute(command: UpsertAccountCommand): Promise<Account> {
    const profile = createAccountProfile({
      email: command.email,
      displayName: command.displayName,
      previousEmails: command.previousEmails ? [...command.previousEmails] : undefined,
    });
    return this.directory.upsert(profile);
  }
}
