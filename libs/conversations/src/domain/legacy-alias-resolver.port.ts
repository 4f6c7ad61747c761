/**
 * Aliases of the legacy system are resolved by the legacy bridge; the conversations lib only
 * recognises them. Bound by the app when the legacy bridge is configured.
 */
export interface LegacyAliasResolver {
  /** `conversationId`: the conversation of this platform the legacy conversation was migrated to, if any. */
  resolve(address: string): Promise<{ legacyConversationId: string; conversationId?: string | null } | null>;
}

export const LEGACY_ALIAS_RESOLVER = Symbol('LEGACY_ALIAS_RESOLVER');
