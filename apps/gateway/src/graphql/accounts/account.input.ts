import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { MAX_DISPLAY_NAME_LENGTH, MAX_EMAIL_LENGTH, MAX_PREVIOUS_EMAILS } from '@libs/identity';

/**
 * `input AccountInput { email: String!, displayName: String!, previousEmails: [String!] }`.
 * These checks bound the size of what reaches the domain; the domain then checks the format
 * (one @, no control characters, …) with its own rules.
 */
@InputType('AccountInput')
export class AccountInput {
  @Field(() => String)
  @IsString()
  @MaxLength(MAX_EMAIL_LENGTH)
  email!: string;

  @Field(() => String)
  @IsString()
  @MinLength(1)
  // class-validator counts a surrogate pair once, like the domain's code-point count.
  @MaxLength(MAX_DISPLAY_NAME_LENGTH)
  displayName!: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PREVIOUS_EMAILS)
  @IsString({ each: true })
  @MaxLength(MAX_EMAIL_LENGTH, { each: true })
  previousEmails?: string[] | null;
}
