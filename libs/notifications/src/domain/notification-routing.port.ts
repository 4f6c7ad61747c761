import { ParticipantSnapshot } from '@libs/contracts';
import { Channel } from './channel';

/**
 * Which system notifies the participants of a message while traffic moves off the legacy
 * system (suppress and parallel, DESIGN §5). Bound by the legacy bridge; without a binding every
 * message takes the new path.
 */
export interface MessageRoutingContext {
  /** `<conversationId>:<seq>` of the message event: the idempotency key shared by both systems. */
  source: string;
  conversation: { id: string; subject: string; useCase: string | null; participants: ParticipantSnapshot[] };
  message: { id: string; body: string; createdAt: string; authorParticipantId: string; source: 'CHAT' | 'EMAIL' | 'LEGACY' };
}

/**
 * - `deliver`: the new path sends (NEW_ONLY, PARALLEL);
 * - `shadow`: the new path only records what it would send, for the parity report;
 * - `skip`: the legacy system sends, the new path does nothing (LEGACY_ONLY).
 */
export type NewPathDecision = 'deliver' | 'shadow' | 'skip';

export interface PlannedNotification {
  participantId: string;
  recipient: string;
  channel: Channel;
}

export interface NotificationRouting {
  /** Decided once per message (a redelivery gets the same answer, whatever changed since). */
  routeMessage(context: MessageRoutingContext): Promise<NewPathDecision>;
  /** What the new path would have sent for a message in shadow. */
  recordShadow(context: MessageRoutingContext, planned: PlannedNotification[]): Promise<void>;
  /** A recipient read the conversation or replied: their reminders end in every live system. */
  endReminders(input: { key: string; conversationId: string; useCase: string | null; participantEmail: string; reason: 'read' | 'reply' }): Promise<void>;
}

export const NOTIFICATION_ROUTING = Symbol('NOTIFICATION_ROUTING');
