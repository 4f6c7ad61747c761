import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AttachmentSnapshot, MessageSource } from '@libs/contracts';
import { ConversationState, MessageView, ParticipantState } from '@libs/conversations';

export enum MessageSourceEnum {
  CHAT = 'CHAT',
  EMAIL = 'EMAIL',
  LEGACY = 'LEGACY',
}
registerEnumType(MessageSourceEnum, { name: 'MessageSource', description: 'Where a message was written.' });

@ObjectType('Participant')
export class ParticipantType {
  @Field(() => ID) id!: string;
  @Field(() => String) displayName!: string;
  @Field(() => String) email!: string;
  @Field(() => String, { nullable: true }) role!: string | null;
  /** Resolved by a field resolver; not exposed directly. */
  accountId!: string | null;

  static from(p: ParticipantState): ParticipantType {
    return Object.assign(new ParticipantType(), { id: p.id, displayName: p.displayName, email: p.email, role: p.role, accountId: p.accountId });
  }
}

@ObjectType('Attachment')
export class AttachmentType {
  @Field(() => ID) id!: string;
  @Field(() => String) filename!: string;
  @Field(() => String) contentType!: string;
  @Field(() => Int) size!: number;
  @Field(() => String) sha256!: string;

  static from(a: AttachmentSnapshot): AttachmentType {
    return Object.assign(new AttachmentType(), { id: a.id, filename: a.filename, contentType: a.contentType, size: a.size, sha256: a.sha256 });
  }
}

@ObjectType('Message')
export class MessageType {
  @Field(() => ID) id!: string;
  @Field(() => ID) conversationId!: string;
  @Field(() => ParticipantType) author!: ParticipantType;
  @Field(() => String) body!: string;
  @Field(() => MessageSourceEnum) source!: MessageSource;
  @Field(() => [AttachmentType]) attachments!: AttachmentType[];
  @Field(() => Date) createdAt!: Date;

  static from(message: MessageView, conversation: ConversationState): MessageType {
    const author = conversation.participants.find((p) => p.id === message.authorParticipantId);
    if (!author) throw new Error(`Message ${message.id} has no author seat in conversation ${conversation.id}`);
    return Object.assign(new MessageType(), {
      id: message.id,
      conversationId: message.conversationId,
      author: ParticipantType.from(author),
      body: message.body,
      source: message.source,
      attachments: message.attachments.map(AttachmentType.from),
      createdAt: new Date(message.createdAt),
    });
  }
}

@ObjectType('PageInfo')
export class PageInfoType {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType('MessageEdge')
export class MessageEdgeType {
  @Field(() => String) cursor!: string;
  @Field(() => MessageType) node!: MessageType;
}

@ObjectType('MessageConnection')
export class MessageConnectionType {
  @Field(() => [MessageEdgeType]) edges!: MessageEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
}

@ObjectType('Conversation')
export class ConversationType {
  @Field(() => ID) id!: string;
  @Field(() => String) subject!: string;
  @Field(() => String, { nullable: true }) useCase!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => [ParticipantType]) participants!: ParticipantType[];
  /** The state the field resolvers (messages, myAlias) work from. */
  state!: ConversationState;

  static from(state: ConversationState): ConversationType {
    return Object.assign(new ConversationType(), {
      id: state.id,
      subject: state.subject,
      useCase: state.useCase,
      createdAt: new Date(state.createdAt),
      participants: state.participants.map(ParticipantType.from),
      state,
    });
  }
}

@ObjectType('ConversationEdge')
export class ConversationEdgeType {
  @Field(() => String) cursor!: string;
  @Field(() => ConversationType) node!: ConversationType;
}

@ObjectType('ConversationConnection')
export class ConversationConnectionType {
  @Field(() => [ConversationEdgeType]) edges!: ConversationEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
}
