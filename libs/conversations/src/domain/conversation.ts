import { randomUUID } from 'node:crypto';
import {
  AttachmentSnapshot,
  ConversationEventDataMap,
  ConversationEventType,
  MessageSource,
  ParticipantSnapshot,
} from '@libs/contracts';
import { issueAlias } from './alias/alias-address';
import { InvalidConversationInputError } from './conversation.errors';

export interface ParticipantState extends ParticipantSnapshot {
  aliasRevoked: boolean;
  lastReadSeq: number;
}

export interface ConversationState {
  id: string;
  subject: string;
  useCase: string | null;
  createdAt: string;
  createdBy: string;
  /** Seq of the last event applied. */
  version: number;
  lastMessageSeq: number;
  lastActivityAt: string;
  participants: ParticipantState[];
}

/** A change decided by the domain, before it has a place in the conversation's log. */
export interface PendingEvent<T extends ConversationEventType = ConversationEventType> {
  type: T;
  data: ConversationEventDataMap[T];
  /** Unique per conversation: a second write with the same key is the same write. */
  idempotencyKey: string;
  occurredAt: string;
}

export interface RecordedEvent<T extends ConversationEventType = ConversationEventType> extends PendingEvent<T> {
  conversationId: string;
  seq: number;
}

/** Who is acting: an account holder (from a JWT) or an email sender known only by address. */
export interface Actor {
  accountId: string | null;
  email: string;
}

export interface NewParticipant {
  email: string;
  displayName: string;
  role?: string | null;
  accountId?: string | null;
}

export interface NewMessage {
  body: string;
  source: MessageSource;
  attachments?: AttachmentSnapshot[];
  idempotencyKey: string;
  emailMessageId?: string | null;
  trimmedText?: string | null;
  rawEmail?: { inboundEmailId: string; blobKey: string } | null;
}

export const LIMITS = {
  subject: 300,
  displayName: 200,
  role: 50,
  useCase: 100,
  body: 100_000,
  participants: 100,
} as const;

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}$/;

/**
 * The conversation aggregate: decisions (`create`, `addParticipant`, …) return the event to
 * record; `apply` folds a recorded event into the state. Both are pure, so the same code serves
 * the command handlers, the projection and the catch-up after a crash.
 */
export class Conversation {
  private constructor(private readonly state: ConversationState) {}

  static fromState(state: ConversationState): Conversation {
    return new Conversation(state);
  }

  static create(input: { subject: string; useCase?: string | null; creator: Actor & { displayName: string }; participants: NewParticipant[] }, aliasDomain: string, now: Date): PendingEvent<'ConversationCreated'> {
    const subject = requireText(input.subject, 'subject', LIMITS.subject);
    const useCase = optionalText(input.useCase, 'useCase', LIMITS.useCase);
    if (input.participants.length > LIMITS.participants) {
      throw new InvalidConversationInputError(`A conversation has at most ${LIMITS.participants} participants`);
    }
    const joinedAt = now.toISOString();
    const seats = new Map<string, ParticipantSnapshot>();
    const creatorEmail = normalizeEmail(input.creator.email);
    seats.set(creatorEmail, newSeat({ email: creatorEmail, displayName: input.creator.displayName, accountId: input.creator.accountId }, aliasDomain, joinedAt));
    for (const participant of input.participants) {
      const email = normalizeEmail(participant.email);
      if (!seats.has(email)) seats.set(email, newSeat({ ...participant, email }, aliasDomain, joinedAt));
    }
    return {
      type: 'ConversationCreated',
      data: { subject, useCase, createdBy: input.creator.accountId ?? creatorEmail, participants: [...seats.values()] },
      idempotencyKey: 'created',
      occurredAt: joinedAt,
    };
  }

  get id(): string {
    return this.state.id;
  }

  get version(): number {
    return this.state.version;
  }

  snapshot(): ConversationState {
    return this.state;
  }

  /** The participant an actor is: by account when both have one, else by address. */
  participantFor(actor: Actor): ParticipantState | undefined {
    const email = actor.email.toLowerCase();
    return (
      (actor.accountId ? this.state.participants.find((p) => p.accountId === actor.accountId) : undefined) ??
      this.state.participants.find((p) => p.email === email)
    );
  }

  participantById(participantId: string): ParticipantState | undefined {
    return this.state.participants.find((p) => p.id === participantId);
  }

  addParticipant(participant: NewParticipant, addedBy: string | null, aliasDomain: string, now: Date): PendingEvent<'ParticipantAdded'> | null {
    const email = normalizeEmail(participant.email);
    if (this.state.participants.some((p) => p.email === email)) return null;
    if (this.state.participants.length >= LIMITS.participants) {
      throw new InvalidConversationInputError(`A conversation has at most ${LIMITS.participants} participants`);
    }
    return {
      type: 'ParticipantAdded',
      data: { participant: newSeat({ ...participant, email }, aliasDomain, now.toISOString()), addedBy },
      idempotencyKey: `participant:${email}`,
      occurredAt: now.toISOString(),
    };
  }

  addMessage(author: ParticipantState, message: NewMessage, now: Date): PendingEvent<'MessageAdded'> {
    const body = message.body.replace(/\u0000/g, '');
    if (body.trim() === '' && (message.attachments ?? []).length === 0) throw new InvalidConversationInputError('A message needs a body or an attachment');
    if (body.length > LIMITS.body) throw new InvalidConversationInputError(`A message body has at most ${LIMITS.body} characters`);
    return {
      type: 'MessageAdded',
      data: {
        messageId: randomUUID(),
        authorParticipantId: author.id,
        body,
        source: message.source,
        attachments: message.attachments ?? [],
        emailMessageId: message.emailMessageId ?? null,
        trimmedText: message.trimmedText ?? null,
        rawEmail: message.rawEmail ?? null,
      },
      idempotencyKey: `message:${message.idempotencyKey}`,
      occurredAt: now.toISOString(),
    };
  }

  /** Null when the participant has already read everything: nothing to record. */
  markRead(participant: ParticipantState, now: Date): PendingEvent<'ConversationRead'> | null {
    if (participant.lastReadSeq >= this.state.lastMessageSeq) return null;
    return {
      type: 'ConversationRead',
      data: { participantId: participant.id, lastReadSeq: this.state.lastMessageSeq },
      idempotencyKey: `read:${participant.id}:${this.state.lastMessageSeq}`,
      occurredAt: now.toISOString(),
    };
  }

  revokeAlias(participant: ParticipantState, now: Date): PendingEvent<'AliasRevoked'> | null {
    if (participant.aliasRevoked) return null;
    return {
      type: 'AliasRevoked',
      data: { participantId: participant.id, alias: participant.alias },
      idempotencyKey: `revoke:${participant.alias}`,
      occurredAt: now.toISOString(),
    };
  }

  /** Folds one recorded event into a new state; events must arrive in seq order. */
  static apply(state: ConversationState | null, event: RecordedEvent): ConversationState {
    if (event.type === 'ConversationCreated') {
      const data = event.data as ConversationEventDataMap['ConversationCreated'];
      return {
        id: event.conversationId,
        subject: data.subject,
        useCase: data.useCase,
        createdAt: event.occurredAt,
        createdBy: data.createdBy,
        version: event.seq,
        lastMessageSeq: 0,
        lastActivityAt: event.occurredAt,
        participants: data.participants.map((p) => ({ ...p, aliasRevoked: false, lastReadSeq: 0 })),
      };
    }
    if (!state) throw new Error(`Event ${event.type} #${event.seq} of ${event.conversationId} has no conversation to apply to`);
    const next: ConversationState = { ...state, version: event.seq };
    switch (event.type) {
      case 'ParticipantAdded': {
        const { participant } = event.data as ConversationEventDataMap['ParticipantAdded'];
        next.participants = [...state.participants, { ...participant, aliasRevoked: false, lastReadSeq: 0 }];
        break;
      }
      case 'MessageAdded': {
        const { authorParticipantId } = event.data as ConversationEventDataMap['MessageAdded'];
        next.lastMessageSeq = event.seq;
        next.lastActivityAt = event.occurredAt;
        // Writing a message implies having read the conversation up to it.
        next.participants = state.participants.map((p) => (p.id === authorParticipantId ? { ...p, lastReadSeq: event.seq } : p));
        break;
      }
      case 'ConversationRead': {
        const { participantId, lastReadSeq } = event.data as ConversationEventDataMap['ConversationRead'];
        next.participants = state.participants.map((p) => (p.id === participantId ? { ...p, lastReadSeq: Math.max(p.lastReadSeq, lastReadSeq) } : p));
        break;
      }
      case 'AliasRevoked': {
        const { participantId } = event.data as ConversationEventDataMap['AliasRevoked'];
        next.participants = state.participants.map((p) => (p.id === participantId ? { ...p, aliasRevoked: true } : p));
        break;
      }
    }
    return next;
  }
}

function newSeat(participant: NewParticipant, aliasDomain: string, joinedAt: string): ParticipantSnapshot {
  const displayName = requireText(participant.displayName, 'displayName', LIMITS.displayName);
  return {
    id: randomUUID(),
    accountId: participant.accountId ?? null,
    email: normalizeEmail(participant.email),
    displayName,
    role: optionalText(participant.role, 'role', LIMITS.role),
    alias: issueAlias(displayName, aliasDomain).address,
    joinedAt,
  };
}

export function normalizeEmail(email: string): string {
  const normalized = email.trim().toLowerCase();
  if (normalized.length > 254 || !EMAIL.test(normalized)) throw new InvalidConversationInputError('Expected a valid email address');
  return normalized;
}

function requireText(value: string, field: string, max: number): string {
  const text = value.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  if (!text) throw new InvalidConversationInputError(`${field} must not be empty`);
  if (text.length > max) throw new InvalidConversationInputError(`${field} has at most ${max} characters`);
  return text;
}

function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value === undefined || value === null || value.trim() === '') return null;
  return requireText(value, field, max);
}
