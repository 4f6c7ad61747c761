import { Command } from '@nestjs/cqrs';
import { ConversationState, NewParticipant } from '../../../domain/conversation';
import { Requester } from '../../access';

export class AddParticipantCommand extends Command<ConversationState> {
  constructor(
    readonly conversationId: string,
    readonly requester: Requester,
    readonly participant: NewParticipant,
  ) {
    super();
  }
}
