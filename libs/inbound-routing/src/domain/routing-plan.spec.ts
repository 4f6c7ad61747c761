import { AliasResolution } from '@libs/conversations';
import { planRoutes } from './routing-plan';

const alias = (conversationId: string, participantId: string, address = `${participantId}@relay.example.com`, revoked = false): AliasResolution => ({
  kind: 'conversation',
  address,
  conversationId,
  participantId,
  revoked,
});
const legacy = (legacyId: string, legacyConversationId: string | null = null): AliasResolution => ({
  kind: 'legacy',
  address: `${legacyId}@legacy.example.com`,
  legacyId,
  legacyConversationId,
  conversationId: null,
});

describe('planRoutes (DESIGN §4 routing cases)', () => {
  it('1. one conversation alias → that conversation', () => {
    expect(planRoutes([alias('c1', 'p1')]).conversations).toEqual([{ conversationId: 'c1', seats: [{ participantId: 'p1', alias: 'p1@relay.example.com' }] }]);
  });

  it('2. aliases of different conversations → each conversation', () => {
    expect(planRoutes([alias('c1', 'p1'), alias('c2', 'p2')]).conversations.map((t) => t.conversationId)).toEqual(['c1', 'c2']);
  });

  it('two aliases of one conversation → one message, the second counted as a de-duplication', () => {
    const plan = planRoutes([alias('c1', 'p1'), alias('c1', 'p2')]);
    expect(plan.conversations).toHaveLength(1);
    expect(plan.conversations[0].seats.map((s) => s.participantId)).toEqual(['p1', 'p2']);
    expect(plan.deduplicated).toEqual([{ address: 'p2@relay.example.com', reason: 'same-conversation' }]);
  });

  it('3. only a legacy alias → the legacy system', () => {
    const plan = planRoutes([legacy('l1')]);
    expect(plan.conversations).toEqual([]);
    expect(plan.legacy.map((l) => l.legacyId)).toEqual(['l1']);
  });

  it('4. several legacy aliases → each to the legacy system', () => {
    expect(planRoutes([legacy('l1'), legacy('l2')]).legacy.map((l) => l.legacyId)).toEqual(['l1', 'l2']);
  });

  it('5. conversation alias + legacy alias of a different conversation → both', () => {
    const plan = planRoutes([alias('c1', 'p1'), legacy('l1', 'old-9')], (old) => (old === 'old-9' ? 'c9' : null));
    expect(plan.conversations.map((t) => t.conversationId)).toEqual(['c1']);
    expect(plan.legacy.map((l) => l.legacyId)).toEqual(['l1']);
  });

  it('6. conversation alias + legacy alias of the same conversation → the conversation alias wins', () => {
    const plan = planRoutes([legacy('l1', 'old-1'), alias('c1', 'p1')], (old) => (old === 'old-1' ? 'c1' : null));
    expect(plan.conversations.map((t) => t.conversationId)).toEqual(['c1']);
    expect(plan.legacy).toEqual([]);
    expect(plan.deduplicated).toEqual([{ address: 'l1@legacy.example.com', reason: 'legacy-of-routed-conversation' }]);
  });

  it('refuses revoked and unknown aliases of our domain, ignores foreign and invalid recipients', () => {
    const plan = planRoutes([
      alias('c1', 'p1', 'p1@relay.example.com', true),
      { kind: 'unknown', address: 'nobody@relay.example.com' },
      { kind: 'foreign', address: 'someone@gmail.com' },
      { kind: 'invalid', reason: 'not a single mailbox' },
    ]);
    expect(plan.conversations).toEqual([]);
    expect(plan.refused).toEqual([
      { address: 'p1@relay.example.com', reason: 'revoked-alias' },
      { address: 'nobody@relay.example.com', reason: 'unknown-alias' },
    ]);
  });
});
