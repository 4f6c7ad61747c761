import { AddMessageHandler } from './commands/add-message/add-message.handler';
import { AddParticipantHandler } from './commands/add-participant/add-participant.handler';
import { CreateConversationHandler } from './commands/create-conversation/create-conversation.handler';
import { MarkConversationReadHandler } from './commands/mark-conversation-read/mark-conversation-read.handler';
import { RevokeAliasHandler } from './commands/revoke-alias/revoke-alias.handler';
import { GetConversationHandler } from './queries/get-conversation/get-conversation.handler';
import { ListConversationsHandler } from './queries/list-conversations/list-conversations.handler';
import { ListMessagesHandler } from './queries/list-messages/list-messages.handler';
import { ResolveAliasHandler } from './queries/resolve-alias/resolve-alias.handler';

/** Every command and query handler of the conversation domain. */
export const CONVERSATION_HANDLERS = [
  CreateConversationHandler,
  AddParticipantHandler,
  AddMessageHandler,
  MarkConversationReadHandler,
  RevokeAliasHandler,
  GetConversationHandler,
  ListConversationsHandler,
  ListMessagesHandler,
  ResolveAliasHandler,
];
