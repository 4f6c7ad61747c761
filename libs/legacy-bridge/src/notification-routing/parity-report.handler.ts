import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, Connection } from 'mongoose';
import { ShadowPlanDocument, useCaseKey } from './legacy-notification-routing';
import { GetParityReportQuery, ParityReport } from './parity-report.query';

@QueryHandler(GetParityReportQuery)
export class GetParityReportHandler implements IQueryHandler<GetParityReportQuery, ParityReport> {
  private readonly shadows: Collection<ShadowPlanDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.shadows = connection.collection<ShadowPlanDocument>('shadow_plans');
  }

  async execute({ useCase, examples }: GetParityReportQuery): Promise<ParityReport> {
    const key = useCaseKey(useCase);
    const plans = (await this.shadows.find({ useCase: key }).toArray()) as ShadowPlanDocument[];
    const checked = plans.filter((p) => p.state === 'checked');
    const mismatches = checked.filter((p) => p.match === false).sort((a, b) => (b.checkedAt?.getTime() ?? 0) - (a.checkedAt?.getTime() ?? 0));
    return {
      useCase: key,
      checked: checked.length,
      matches: checked.length - mismatches.length,
      mismatches: mismatches.length,
      pending: plans.filter((p) => p.state === 'pending').length,
      examples: mismatches.slice(0, Math.max(0, Math.min(examples, 100))).map((p) => ({
        messageKey: p._id,
        conversationId: p.conversationId,
        missing: p.missing ?? [],
        extra: p.extra ?? [],
        checkedAt: p.checkedAt ?? p.createdAt,
      })),
    };
  }
}
