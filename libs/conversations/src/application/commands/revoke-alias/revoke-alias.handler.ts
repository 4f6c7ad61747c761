import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { parseAliasAddress } from '../../../domain/alias/alias-address';
import { AliasNotFoundError } from '../../../domain/conversation.errors';
import { CONVERSATION_STORE, ConversationStore } from '../../../domain/conversation-store.port';
import { CLOCK, Clock, CONVERSATIONS_OPTIONS, ConversationsOptions } from '../../../conversations.options';
import { ConversationWriter } from '../../conversation-writer';
import { RevokeAliasCommand } from './revoke-alias.command';

@CommandHandler(RevokeAliasCommand)
export class RevokeAliasHandler implements ICommandHandler<RevokeAliasCommand, boolean> {
  constructor(
    private readonly writer: ConversationWriter,
    @Inject(CONVERSATION_STORE) private readonly store: ConversationStore,
    @Inject(CONVERSATIONS_OPTIONS) private readonly options: ConversationsOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ address, actor, isAdmin }: RevokeAliasCommand): Promise<boolean> {
    const parsed = parseAliasAddress(address, { aliasDomain: this.options.aliasDomain });
    if (parsed.kind !== 'alias') throw new AliasNotFoundError();
    const alias = await this.store.findAliasByToken(parsed.token);
    if (!alias || alias.address !== parsed.address) throw new AliasNotFoundError();
    await this.writer.write(alias.conversationId, (conversation) => {
      const owner = conversation.participantById(alias.participantId);
      const actorSeat = conversation.participantFor(actor);
      // Only the alias's owner or an admin may revoke it; anyone else learns nothing.
      if (!owner || (!isAdmin && actorSeat?.id !== owner.id)) throw new AliasNotFoundError();
      return conversation.revokeAlias(owner, this.clock.now());
    });
    return true;
  }
}
