import { Actor, Conversation, ParticipantState } from '../domain/conversation';
import { ConversationNotFoundError } from '../domain/conversation.errors';

/**
 * Who may act on a conversation. `system` is a trusted app (relay, notifier) acting on behalf of
 * a participant it has already identified.
 */
export type Requester = { kind: 'actor'; actor: Actor } | { kind: 'system' };

export const SYSTEM: Requester = { kind: 'system' };
export const asActor = (actor: Actor): Requester => ({ kind: 'actor', actor });

/** The requester's seat; a non-participant is told the conversation does not exist. */
export function seatOf(conversation: Conversation, actor: Actor): ParticipantState {
  const seat = conversation.participantFor(actor);
  if (!seat) throw new ConversationNotFoundError();
  return seat;
}

export function assertCanRead(conversation: Conversation, requester: Requester): void {
  if (requester.kind === 'actor') seatOf(conversation, requester.actor);
}
