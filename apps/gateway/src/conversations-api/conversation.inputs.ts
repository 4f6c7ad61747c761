import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { LIMITS } from '@libs/conversations';

/** Sizes are bounded here, before anything reaches the domain, which then checks formats. */
@InputType('ParticipantInput')
export class ParticipantInput {
  @Field(() => String) @IsString() @MaxLength(254) email!: string;
  @Field(() => String) @IsString() @MinLength(1) @MaxLength(LIMITS.displayName) displayName!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(LIMITS.role) role?: string | null;
}

@InputType('CreateConversationInput')
export class CreateConversationInput {
  @Field(() => String) @IsString() @MaxLength(LIMITS.subject) subject!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(LIMITS.useCase) useCase?: string | null;

  @Field(() => [ParticipantInput])
  @ArrayMaxSize(LIMITS.participants)
  @ValidateNested({ each: true })
  @Type(() => ParticipantInput)
  participants!: ParticipantInput[];
}

@InputType('SendMessageInput')
export class SendMessageInput {
  @Field(() => ID) @IsString() @MaxLength(100) conversationId!: string;
  @Field(() => String) @IsString() @MaxLength(LIMITS.body) body!: string;
  @Field(() => String) @IsString() @MinLength(1) @MaxLength(200) clientMessageId!: string;
}
