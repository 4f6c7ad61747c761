import { DomainError, ErrorCategory } from '@libs/contracts';

export enum ConversationErrorCode {
  NotFound = 'CONVERSATION_NOT_FOUND',
  NotParticipant = 'NOT_A_PARTICIPANT',
  InvalidInput = 'INVALID_CONVERSATION_INPUT',
  AliasNotFound = 'ALIAS_NOT_FOUND',
  AliasRevoked = 'ALIAS_REVOKED',
  WriteContention = 'CONVERSATION_WRITE_CONTENTION',
}

export class ConversationNotFoundError extends DomainError {
  constructor() {
    // Same answer for "does not exist" and "not yours": never a hint that it exists.
    super(ConversationErrorCode.NotFound, ErrorCategory.NotFound, 'Conversation not found');
  }
}

export class InvalidConversationInputError extends DomainError {
  constructor(message: string) {
    super(ConversationErrorCode.InvalidInput, ErrorCategory.Invalid, message);
  }
}

export class AliasNotFoundError extends DomainError {
  constructor() {
    super(ConversationErrorCode.AliasNotFound, ErrorCategory.NotFound, 'Alias not found');
  }
}

export class WriteContentionError extends DomainError {
  constructor(conversationId: string) {
    super(ConversationErrorCode.WriteContention, ErrorCategory.Unavailable, `Too many concurrent writes to conversation ${conversationId}; retry`);
  }
}
