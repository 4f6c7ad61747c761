import { DynamicModule, InjectionToken, Module, Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { MongooseModule } from '@nestjs/mongoose';
import { ConversationWriter } from './application/conversation-writer';
import { CONVERSATION_HANDLERS } from './application/handlers';
import { ConversationSagas } from './application/sagas/conversation.sagas';
import { CLOCK, CONVERSATIONS_OPTIONS, ConversationsOptions, systemClock } from './conversations.options';
import { CONVERSATION_STORE } from './domain/conversation-store.port';
import { ConversationEventsPublisher } from './infrastructure/change-capture/conversation-events-publisher';
import { PublishConversationChangesHandler } from './infrastructure/change-capture/publish-conversation-changes.handler';
import {
  ALIAS_MODEL,
  AliasSchema,
  CONVERSATION_EVENT_MODEL,
  CONVERSATION_MODEL,
  CONVERSATION_OUTBOX_MODEL,
  ConversationEventSchema,
  ConversationOutboxSchema,
  ConversationSchema,
  LEASE_MODEL,
  LeaseSchema,
} from './infrastructure/persistence/conversation.schemas';
import { MongoConversationStore } from './infrastructure/persistence/mongo-conversation-store';


export interface ConversationsModuleOptions {
  inject: InjectionToken[];
  useFactory: (...args: any[]) => ConversationsOptions;
  /** Extra providers, e.g. ACCOUNT_LOOKUP or LEGACY_ALIAS_RESOLVER bindings, or a CLOCK. */
  providers?: Provider[];
  imports?: DynamicModule['imports'];
}

/**
 * The conversation domain: commands, queries, sagas, the MongoDB log and read models, and the
 * change publisher. Apps talk to it through the CommandBus and QueryBus only.
 */
@Module({})
export class ConversationsModule {
  static forRootAsync(options: ConversationsModuleOptions): DynamicModule {
    const extra = options.providers ?? [];
    const overridesClock = extra.some((p) => typeof p === 'object' && 'provide' in p && p.provide === CLOCK);
    return {
      module: ConversationsModule,
      imports: [
        CqrsModule,
        MongooseModule.forFeature([
          { name: CONVERSATION_EVENT_MODEL, schema: ConversationEventSchema },
          { name: CONVERSATION_MODEL, schema: ConversationSchema },
          { name: CONVERSATION_OUTBOX_MODEL, schema: ConversationOutboxSchema },
          { name: ALIAS_MODEL, schema: AliasSchema },
          { name: LEASE_MODEL, schema: LeaseSchema },
        ]),
        ...(options.imports ?? []),
      ],
      providers: [
        { provide: CONVERSATIONS_OPTIONS, inject: options.inject, useFactory: options.useFactory },
        ...(overridesClock ? [] : [{ provide: CLOCK, useValue: systemClock }]),
        MongoConversationStore,
        { provide: CONVERSATION_STORE, useExisting: MongoConversationStore },
        ConversationWriter,
        ConversationEventsPublisher,
        ConversationSagas,
        ...CONVERSATION_HANDLERS,
        PublishConversationChangesHandler,
        ...extra,
      ],
      exports: [CqrsModule, CONVERSATION_STORE, ConversationEventsPublisher, CONVERSATIONS_OPTIONS],
    };
  }
}
