import { Module } from '@nestjs/common';
import { LegacyNotificationRoutingModule } from '@libs/legacy-bridge';
import { ParityReportResolver } from './parity-report.resolver';

/** The admin parity report of shadowed use cases. */
@Module({ imports: [LegacyNotificationRoutingModule.reports()], providers: [ParityReportResolver] })
export class ParityApiModule {}
