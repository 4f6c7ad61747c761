import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { NotificationPreferences } from '@libs/notifications';

@ObjectType('NotificationPreferences', { description: "The caller's notification channels in one conversation. In-app is always on for account holders." })
export class NotificationPreferencesType {
  @Field(() => ID) conversationId!: string;
  @Field(() => Boolean) email!: boolean;
  @Field(() => Boolean) sms!: boolean;
  @Field(() => Boolean) push!: boolean;
  @Field(() => Boolean) inApp!: boolean;
  @Field(() => String, { nullable: true }) phoneNumber!: string | null;
  @Field(() => Boolean, { description: 'Whether a push device token is registered (the token itself is never returned).' }) hasPushToken!: boolean;

  static from(p: NotificationPreferences, isAccountHolder: boolean): NotificationPreferencesType {
    return Object.assign(new NotificationPreferencesType(), {
      conversationId: p.conversationId,
      email: p.email,
      sms: p.sms,
      push: p.push,
      inApp: isAccountHolder,
      phoneNumber: p.phoneNumber,
      hasPushToken: p.pushToken !== null,
    });
  }
}

@InputType('NotificationPreferencesInput', { description: 'Only the fields given change. null removes a phone number or push token.' })
export class NotificationPreferencesInput {
  @Field(() => ID) @IsString() @MaxLength(100) conversationId!: string;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() email?: boolean | null;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() sms?: boolean | null;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() push?: boolean | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(32) phoneNumber?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(4096) pushToken?: string | null;
}
