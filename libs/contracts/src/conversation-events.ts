import { IntegrationEvent } from './envelope';
import { InboundEmailReceivedEvent } from './inbound-email-events';

/**
 * Events of `conversation.events`, keyed by conversation id. `seq` is the event's position in
 * its conversation (1, 2, 3, … without gaps): consumers use it to order and to de-duplicate.
 */
export type MessageSource = 'CHAT' | 'EMAIL' | 'LEGACY';

export interface ParticipantSnapshot {
  id: string;
  accountId: string | null;
  email: string;
  displayName: string;
  role: string | null;
  alias: string;
  joinedAt: string;
}

export interface AttachmentSnapshot {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  blobKey: string;
}

export interface ConversationCreatedData {
  subject: string;
  useCase: string | null;
  createdBy: string;
  participants: ParticipantSnapshot[];
}

export interface ParticipantAddedData {
  participant: ParticipantSnapshot;
  addedBy: string | null;
}

export interface MessageAddedData {
  messageId: string;
  authorParticipantId: string;
  body: string;
  source: MessageSource;
  attachments: AttachmentSnapshot[];
  /** The email's Message-ID, for threading notifications, when the message came by email. */
  emailMessageId: string | null;
  /** The quoted reply and signature trimmed from an email's body, kept for who needs them. */
  trimmedText?: string | null;
  /** Where the raw email behind the message is kept (blob store key and inbound email id). */
  rawEmail?: { inboundEmailId: string; blobKey: string } | null;
}

export interface ConversationReadData {
  participantId: string;
  lastReadSeq: number;
}

export interface AliasRevokedData {
  participantId: string;
  alias: string;
}

export interface ConversationEventDataMap {
  ConversationCreated: ConversationCreatedData;
  ParticipantAdded: ParticipantAddedData;
  MessageAdded: MessageAddedData;
  ConversationRead: ConversationReadData;
  AliasRevoked: AliasRevokedData;
}

export type ConversationEventType = keyof ConversationEventDataMap;

export const CONVERSATION_EVENT_VERSION = 1;

export type ConversationEvent<T extends ConversationEventType = ConversationEventType> = T extends ConversationEventType
  ? IntegrationEvent<T, ConversationEventDataMap[T]> & { conversationId: string; seq: number }
  : never;

/** The payload type of each topic: a typed `publish` checks producers against this map. */
export interface TopicPayloadMap {
  'conversation.events': ConversationEvent;
  'inbound-email.received': InboundEmailReceivedEvent;
}
