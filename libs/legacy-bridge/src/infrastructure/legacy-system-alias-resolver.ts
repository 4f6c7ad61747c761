import { LegacyAliasResolver } from '@libs/conversations';
import { LegacySystem } from '../domain/legacy-system.port';

/** LEGACY_ALIAS_RESOLVER of the conversations lib, answered by the legacy system. */
export class LegacySystemAliasResolver implements LegacyAliasResolver {
  constructor(private readonly legacy: LegacySystem) {}

  resolve(address: string): Promise<{ legacyConversationId: string; conversationId: string | null } | null> {
    return this.legacy.resolveAlias(address);
  }
}
