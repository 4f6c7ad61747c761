import { Query } from '@nestjs/cqrs';

export interface ParityMismatch {
  /** The message's key, `<conversationId>:<seq>`. */
  messageKey: string;
  conversationId: string;
  missing: string[];
  extra: string[];
  checkedAt: Date;
}

export interface ParityReport {
  useCase: string;
  checked: number;
  matches: number;
  mismatches: number;
  /** Shadowed messages whose legacy notifications are not known yet. */
  pending: number;
  /** The most recent mismatches, newest first. */
  examples: ParityMismatch[];
}

/** How the new path's would-be notifications compare with the legacy system's, for a use case in shadow. */
export class GetParityReportQuery extends Query<ParityReport> {
  constructor(
    readonly useCase: string,
    readonly examples = 10,
  ) {
    super();
  }
}
