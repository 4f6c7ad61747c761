/**
 * Aliases of the legacy system are resolved by the legacy bridge; the conversations lib only
 * recognises them. Bound by the app when the legacy bridge is configured.
 */
export interface LegacyAliasResolver {
  resolve(address: string): Promise<{ legacyConversationId: string } | null>;
}

export const LEGACY_ALIAS_RESOLVER = Symbol('LEGACY_ALIAS_RESOLVER');
