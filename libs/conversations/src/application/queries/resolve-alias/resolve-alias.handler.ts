import { Inject, Optional } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { parseAliasAddress } from '../../../domain/alias/alias-address';
import { CONVERSATION_STORE, ConversationStore } from '../../../domain/conversation-store.port';
import { LEGACY_ALIAS_RESOLVER, LegacyAliasResolver } from '../../../domain/legacy-alias-resolver.port';
import { CONVERSATIONS_OPTIONS, ConversationsOptions } from '../../../conversations.options';
import { AliasResolution, ResolveAliasQuery } from './resolve-alias.query';

@QueryHandler(ResolveAliasQuery)
export class ResolveAliasHandler implements IQueryHandler<ResolveAliasQuery, AliasResolution> {
  constructor(
    @Inject(CONVERSATION_STORE) private readonly store: ConversationStore,
    @Inject(CONVERSATIONS_OPTIONS) private readonly options: ConversationsOptions,
    @Optional() @Inject(LEGACY_ALIAS_RESOLVER) private readonly legacy?: LegacyAliasResolver,
  ) {}

  async execute({ recipient }: ResolveAliasQuery): Promise<AliasResolution> {
    const parsed = parseAliasAddress(recipient, { aliasDomain: this.options.aliasDomain, legacyDomains: this.options.legacyAliasDomains });
    switch (parsed.kind) {
      case 'alias': {
        // The token is the secret; the slug before it is a courtesy and may be retyped freely.
        const alias = await this.store.findAliasByToken(parsed.token);
        if (!alias) return { kind: 'unknown', address: parsed.address };
        return { kind: 'conversation', address: alias.address, conversationId: alias.conversationId, participantId: alias.participantId, revoked: alias.revoked };
      }
      case 'legacy': {
        const resolved = (await this.legacy?.resolve(parsed.address)) ?? null;
        return { kind: 'legacy', address: parsed.address, legacyId: parsed.legacyId, legacyConversationId: resolved?.legacyConversationId ?? null, conversationId: resolved?.conversationId ?? null };
      }
      default:
        return parsed;
    }
  }
}
