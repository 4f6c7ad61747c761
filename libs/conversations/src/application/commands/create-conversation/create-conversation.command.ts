import { Command } from '@nestjs/cqrs';
import { Actor, ConversationState, NewParticipant } from '../../../domain/conversation';

export class CreateConversationCommand extends Command<ConversationState> {
  constructor(
    readonly creator: Actor & { displayName: string },
    readonly subject: string,
    readonly useCase: string | null,
    readonly participants: NewParticipant[],
  ) {
    super();
  }
}
