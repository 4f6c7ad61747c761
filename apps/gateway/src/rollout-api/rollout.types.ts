import { Field, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Rollout } from '@libs/legacy-bridge';

/** `enum RolloutMode { LEGACY_ONLY PARALLEL NEW_ONLY }` (DESIGN §6). */
export enum RolloutModeEnum {
  LEGACY_ONLY = 'LEGACY_ONLY',
  PARALLEL = 'PARALLEL',
  NEW_ONLY = 'NEW_ONLY',
}
registerEnumType(RolloutModeEnum, {
  name: 'RolloutMode',
  description: 'Which system notifies a use case’s conversations: the legacy one, both (legacy suppressed), or the new one.',
  valuesMap: {
    LEGACY_ONLY: { description: 'The legacy system sends; rolling back is setting this.' },
    PARALLEL: { description: 'The legacy system is still called with suppressNotification: true; the new path delivers.' },
    NEW_ONLY: { description: 'Only the new path.' },
  },
});

/** `input RolloutInput { useCase: String!, mode: RolloutMode!, percent: Int! }` plus `shadow: Boolean`. */
@InputType('RolloutInput')
export class RolloutInput {
  // Bounded here; the domain then trims, lower-cases and checks [a-z0-9._-]{1,100}.
  @Field(() => String) @IsString() @MaxLength(200) useCase!: string;
  @Field(() => RolloutModeEnum) @IsEnum(RolloutModeEnum) mode!: RolloutModeEnum;

  @Field(() => Int, { description: 'Share (0-100) of the use case’s conversations that take `mode`; the others stay on the legacy system.' })
  @IsInt()
  @Min(0)
  @Max(100)
  percent!: number;

  @Field(() => Boolean, { nullable: true, description: 'Conversations left on the legacy system have the new path computed, not sent, for parity. Default false.' })
  @IsOptional()
  @IsBoolean()
  shadow?: boolean | null;
}

/** `type Rollout { useCase: String!, mode: RolloutMode!, percent: Int! }` plus `shadow`, `updatedAt`. */
@ObjectType('Rollout')
export class RolloutType {
  @Field(() => String) useCase!: string;
  @Field(() => RolloutModeEnum) mode!: RolloutModeEnum;
  @Field(() => Int) percent!: number;
  @Field(() => Boolean) shadow!: boolean;
  @Field(() => Date) updatedAt!: Date;

  static from(rollout: Rollout): RolloutType {
    return Object.assign(new RolloutType(), {
      useCase: rollout.useCase,
      mode: rollout.mode as RolloutModeEnum,
      percent: rollout.percent,
      shadow: rollout.shadow,
      updatedAt: rollout.updatedAt,
    });
  }
}
