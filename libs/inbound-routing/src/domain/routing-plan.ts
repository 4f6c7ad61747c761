import { AliasResolution } from '@libs/conversations';

/** One conversation the email is added to, through one of the seats whose alias addressed it. */
export interface ConversationTarget {
  conversationId: string;
  /** Every seat of this conversation the email addressed, in recipient order. */
  seats: { participantId: string; alias: string }[];
}

export interface LegacyTarget {
  address: string;
  legacyId: string;
  legacyConversationId: string | null;
}

export type Refusal = { address: string; reason: 'unknown-alias' | 'revoked-alias' };

export interface RoutingPlan {
  conversations: ConversationTarget[];
  legacy: LegacyTarget[];
  refused: Refusal[];
  /** Recipients set aside because another recipient already routes the email to the same place. */
  deduplicated: { address: string; reason: 'same-conversation' | 'legacy-of-routed-conversation' }[];
}

/**
 * Where an email goes, from what each envelope recipient resolved to (DESIGN §4):
 * - every conversation addressed gets the message once, whichever and however many of its
 *   aliases were used (cases 1, 2);
 * - legacy aliases are handed to the legacy system (cases 3, 4, 5), except one whose legacy
 *   conversation is the same as a conversation already addressed by its own alias: the
 *   conversation alias wins and the legacy alias is counted as a de-duplication (case 6);
 * - our unknown or revoked aliases are refused (bounce), foreign and invalid recipients ignored.
 *
 * `migratedTo` tells which conversation of the new platform a legacy conversation became.
 */
export function planRoutes(resolutions: AliasResolution[], migratedTo: (legacyConversationId: string) => string | null = () => null): RoutingPlan {
  const plan: RoutingPlan = { conversations: [], legacy: [], refused: [], deduplicated: [] };
  const routed = new Map<string, ConversationTarget>();
  for (const r of resolutions) {
    if (r.kind !== 'conversation') continue;
    const target = routed.get(r.conversationId);
    if (r.revoked) {
      plan.refused.push({ address: r.address, reason: 'revoked-alias' });
    } else if (target) {
      // The email will be added once; the sender decides which of the seats it comes from.
      target.seats.push({ participantId: r.participantId, alias: r.address });
      plan.deduplicated.push({ address: r.address, reason: 'same-conversation' });
    } else {
      const created = { conversationId: r.conversationId, seats: [{ participantId: r.participantId, alias: r.address }] };
      routed.set(r.conversationId, created);
      plan.conversations.push(created);
    }
  }
  const legacySeen = new Set<string>();
  for (const r of resolutions) {
    if (r.kind === 'unknown') plan.refused.push({ address: r.address, reason: 'unknown-alias' });
    if (r.kind !== 'legacy') continue;
    const migrated = r.legacyConversationId ? migratedTo(r.legacyConversationId) : null;
    if (migrated && routed.has(migrated)) {
      plan.deduplicated.push({ address: r.address, reason: 'legacy-of-routed-conversation' });
    } else if (!legacySeen.has(r.address)) {
      legacySeen.add(r.address);
      plan.legacy.push({ address: r.address, legacyId: r.legacyId, legacyConversationId: r.legacyConversationId });
    }
  }
  return plan;
}
