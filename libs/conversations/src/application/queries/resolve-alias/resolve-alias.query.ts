import { Query } from '@nestjs/cqrs';

export type AliasResolution =
  | { kind: 'conversation'; address: string; conversationId: string; participantId: string; revoked: boolean }
  /** `conversationId`: where the legacy conversation was migrated to on this platform, if anywhere. */
  | { kind: 'legacy'; address: string; legacyId: string; legacyConversationId: string | null; conversationId: string | null }
  /** Our domain, but no such alias. */
  | { kind: 'unknown'; address: string }
  | { kind: 'foreign'; address: string }
  | { kind: 'invalid'; reason: string };

/** Which seat (or legacy conversation) an envelope recipient routes to. */
export class ResolveAliasQuery extends Query<AliasResolution> {
  constructor(readonly recipient: string) {
    super();
  }
}
