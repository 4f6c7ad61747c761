import { Command } from '@nestjs/cqrs';
import { Actor } from '../../../domain/conversation';

/** Revokes an alias; allowed to its owner and to admins. Resolves true once revoked. */
export class RevokeAliasCommand extends Command<boolean> {
  constructor(
    readonly address: string,
    readonly actor: Actor,
    readonly isAdmin: boolean,
  ) {
    super();
  }
}
