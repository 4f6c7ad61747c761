import { Command } from '@nestjs/cqrs';
import { Actor, ConversationState, NewMessage } from '../../../domain/conversation';
import { MessageView } from '../../views';

/** The author: an authenticated actor (chat), or a seat the relay identified by its alias. */
export type MessageAuthor = { kind: 'actor'; actor: Actor } | { kind: 'participant'; participantId: string };

export interface AddMessageResult {
  message: MessageView;
  /** The conversation as of this message (or later, for a duplicate). */
  conversation: ConversationState;
  /** True when this idempotency key was already recorded; `message` is the original. */
  duplicate: boolean;
}

export class AddMessageCommand extends Command<AddMessageResult> {
  constructor(
    readonly conversationId: string,
    readonly author: MessageAuthor,
    readonly message: NewMessage,
  ) {
    super();
  }
}
