import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ConversationState } from '../../../domain/conversation';
import { ACCOUNT_LOOKUP, AccountLookup } from '../../../domain/account-lookup.port';
import { CLOCK, Clock, CONVERSATIONS_OPTIONS, ConversationsOptions } from '../../../conversations.options';
import { seatOf } from '../../access';
import { ConversationWriter } from '../../conversation-writer';
import { AddParticipantCommand } from './add-participant.command';

@CommandHandler(AddParticipantCommand)
export class AddParticipantHandler implements ICommandHandler<AddParticipantCommand, ConversationState> {
  constructor(
    private readonly writer: ConversationWriter,
    @Inject(CONVERSATIONS_OPTIONS) private readonly options: ConversationsOptions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(ACCOUNT_LOOKUP) private readonly accounts?: AccountLookup,
  ) {}

  async execute({ conversationId, requester, participant }: AddParticipantCommand): Promise<ConversationState> {
    const accountId = participant.accountId ?? (await this.accounts?.accountIdForEmail(participant.email)) ?? null;
    const { conversation } = await this.writer.write(conversationId, (c) => {
      const addedBy = requester.kind === 'actor' ? seatOf(c, requester.actor).id : null;
      return c.addParticipant({ ...participant, accountId }, addedBy, this.options.aliasDomain, this.clock.now());
    });
    return conversation.snapshot();
  }
}
