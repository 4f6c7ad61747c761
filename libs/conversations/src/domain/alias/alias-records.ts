import { ConversationEventDataMap } from '@libs/contracts';
import { RecordedEvent } from '../conversation';
import { AliasRecord } from '../conversation-store.port';

const TOKEN_AT_END = /-?([a-z2-9]{13})@/;

function tokenOf(address: string): string {
  const match = TOKEN_AT_END.exec(address);
  if (!match) throw new Error(`Issued alias without a token: ${address}`);
  return match[1];
}

/** What an event changes in the alias read model: new seats' aliases, or a revocation. */
export function aliasChangesOf(event: RecordedEvent): { upserts: AliasRecord[]; revoked: string[] } {
  switch (event.type) {
    case 'ConversationCreated': {
      const { participants } = event.data as ConversationEventDataMap['ConversationCreated'];
      return {
        upserts: participants.map((p) => ({ address: p.alias, token: tokenOf(p.alias), conversationId: event.conversationId, participantId: p.id, revoked: false })),
        revoked: [],
      };
    }
    case 'ParticipantAdded': {
      const { participant: p } = event.data as ConversationEventDataMap['ParticipantAdded'];
      return { upserts: [{ address: p.alias, token: tokenOf(p.alias), conversationId: event.conversationId, participantId: p.id, revoked: false }], revoked: [] };
    }
    case 'AliasRevoked': {
      const { alias } = event.data as ConversationEventDataMap['AliasRevoked'];
      return { upserts: [], revoked: [tokenOf(alias)] };
    }
    default:
      return { upserts: [], revoked: [] };
  }
}
