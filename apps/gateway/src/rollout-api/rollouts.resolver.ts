import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Principal } from '@libs/auth';
import { ListRolloutsQuery, SetRolloutCommand } from '@libs/legacy-bridge';
import { AdminOnly } from '../graphql/auth/admin-only.decorator';
import { CurrentPrincipal } from '../graphql/auth/current-principal.decorator';
import { RolloutInput, RolloutType } from './rollout.types';

/** Suppress and parallel, for admins: `setRollout` and `rollouts` (DESIGN §5, §6). */
@AdminOnly()
@Resolver(() => RolloutType)
export class RolloutsResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** Live in every running app within ROLLOUT_REFRESH_MS; rolling back is mode LEGACY_ONLY. */
  @AdminOnly()
  @Mutation(() => RolloutType, { name: 'setRollout' })
  async setRollout(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { type: () => RolloutInput }) input: RolloutInput,
  ): Promise<RolloutType> {
    const rollout = await this.commands.execute(
      new SetRolloutCommand({ useCase: input.useCase, mode: input.mode, percent: input.percent, shadow: input.shadow ?? undefined }, actorOf(principal)),
    );
    return RolloutType.from(rollout);
  }

  @AdminOnly()
  @Query(() => [RolloutType], { name: 'rollouts' })
  async rollouts(): Promise<RolloutType[]> {
    return (await this.queries.execute(new ListRolloutsQuery())).map(RolloutType.from);
  }
}

/** Recorded as the rollout's `updatedBy`: the admin's email, else the token subject. */
function actorOf(principal: Principal): string {
  return principal.email || `sub:${principal.accountId}`;
}
