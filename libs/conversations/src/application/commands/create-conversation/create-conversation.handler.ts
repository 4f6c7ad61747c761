import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { Conversation, ConversationState } from '../../../domain/conversation';
import { ACCOUNT_LOOKUP, AccountLookup } from '../../../domain/account-lookup.port';
import { CLOCK, Clock, CONVERSATIONS_OPTIONS, ConversationsOptions } from '../../../conversations.options';
import { ConversationWriter } from '../../conversation-writer';
import { CreateConversationCommand } from './create-conversation.command';

@CommandHandler(CreateConversationCommand)
export class CreateConversationHandler implements ICommandHandler<CreateConversationCommand, ConversationState> {
  constructor(
    private readonly writer: ConversationWriter,
    @Inject(CONVERSATIONS_OPTIONS) private readonly options: ConversationsOptions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(ACCOUNT_LOOKUP) private readonly accounts?: AccountLookup,
  ) {}

  async execute(command: CreateConversationCommand): Promise<ConversationState> {
    const participants = await Promise.all(
      command.participants.map(async (p) => ({ ...p, accountId: p.accountId ?? (await this.accounts?.accountIdForEmail(p.email)) ?? null })),
    );
    const created = Conversation.create(
      { subject: command.subject, useCase: command.useCase, creator: command.creator, participants },
      this.options.aliasDomain,
      this.clock.now(),
    );
    const { conversation } = await this.writer.create(randomUUID(), created);
    return conversation.snapshot();
  }
}
