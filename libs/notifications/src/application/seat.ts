import { Conversation, ConversationState, ParticipantState, Requester, seatOf } from '@libs/conversations';
import { InvalidNotificationPreferencesError } from '../domain/notification.errors';

/** The seat whose preferences a requester may see and change: their own. */
export function ownSeat(state: ConversationState, requester: Requester): ParticipantState {
  if (requester.kind !== 'actor') throw new InvalidNotificationPreferencesError('Preferences belong to a participant: act as one');
  return seatOf(Conversation.fromState(state), requester.actor);
}
