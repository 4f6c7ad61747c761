import { Args, Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { QueryBus } from '@nestjs/cqrs';
import { GetParityReportQuery, ParityReport } from '@libs/legacy-bridge';
import { AdminOnly } from '../graphql/auth/admin-only.decorator';

@ObjectType('ParityMismatch', { description: 'One message on which the new path would have notified differently from the legacy system.' })
export class ParityMismatchType {
  @Field(() => String, { description: '`<conversationId>:<seq>` of the message.' }) messageKey!: string;
  @Field(() => String) conversationId!: string;
  @Field(() => [String], { description: '`channel:recipient` the legacy system notified and the new path would not have.' }) missing!: string[];
  @Field(() => [String], { description: '`channel:recipient` the new path would have notified and the legacy system did not.' }) extra!: string[];
  @Field(() => Date) checkedAt!: Date;
}

@ObjectType('ParityReport', { description: 'Shadow mode: what the new path would send, compared with what the legacy system sent.' })
export class ParityReportType {
  @Field(() => String) useCase!: string;
  @Field(() => Int) checked!: number;
  @Field(() => Int) matches!: number;
  @Field(() => Int) mismatches!: number;
  @Field(() => Int, { description: 'Shadowed messages whose legacy notifications are not known yet.' }) pending!: number;
  @Field(() => [ParityMismatchType], { description: 'The most recent mismatches, newest first.' }) examples!: ParityMismatchType[];
}

@Resolver()
export class ParityReportResolver {
  constructor(private readonly queries: QueryBus) {}

  @AdminOnly()
  @Query(() => ParityReportType, { name: 'rolloutParity' })
  async rolloutParity(
    @Args('useCase', { type: () => String }) useCase: string,
    @Args('examples', { type: () => Int, nullable: true }) examples?: number | null,
  ): Promise<ParityReport> {
    return this.queries.execute(new GetParityReportQuery(useCase.slice(0, 100), examples ?? 10));
  }
}
