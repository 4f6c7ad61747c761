import { Db } from 'mongodb';
import { TEST_JWT_SECRET, graphqlOk, tokenFor } from '../../test/support/graphql';
import { intBetween, Random } from './random';
import { Scenario, ScenarioConversation } from './scenario-types';

export type { Scenario, ScenarioConversation, ScenarioParticipant } from './scenario-types';
export { TEST_JWT_SECRET };

export interface ScenarioOptions {
  gatewayUrl: string;
  /** The database the apps use, to read every participant's alias (only a seat's owner sees it through the API). */
  db: Db;
  run: string;
  conversations: number;
  /** Participants per conversation, inclusive. */
  participants: [number, number];
  /** Target share of participants without an account (DESIGN §1: about 60% are reached by email). */
  emailOnlyShare: number;
  /** Account holders starting conversations; each starts conversations/creators of them. */
  creators: number;
  random: Random;
  concurrency?: number;
}

const FIRST = ['Jane', 'Omar', 'Lena', 'Ravi', 'Chen', 'Maria', 'Tom', 'Aisha', 'Pieter', 'Sofia', 'Kenji', 'Olu'];
const LAST = ['Doe', 'Haddad', 'Schmidt', 'Patel', 'Wang', 'Garcia', 'Brown', 'Khan', 'de Vries', 'Rossi', 'Sato', 'Adeyemi'];
const ROLES = ['Software Engineer', 'Data Analyst', 'Product Designer', 'Nurse', 'Account Manager', 'Warehouse Lead'];

/**
 * Creates the conversations of a load run through the GraphQL API, the way users do: an account
 * holder starts each one with one or two others, most of them email-only, some with accounts.
 */
export async function createScenario(options: ScenarioOptions): Promise<Scenario> {
  const { run, random } = options;
  const admin = await tokenFor({ sub: `bench-admin-${run}`, email: `admin.${run}@bench.example`, roles: ['admin'] });
  const creators = await Promise.all(
    Array.from({ length: options.creators }, async (_, i) => {
      const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 5) % LAST.length]}`;
      const claims = { sub: `recruiter-${i}-${run}`, email: `recruiter${i}.${run}@employer.example`, name };
      return { ...claims, token: await tokenFor(claims) };
    }),
  );
  // Creators are account holders; the others are email-only with the probability that makes the
  // share of email-only participants over all seats come out at emailOnlyShare.
  const [minP, maxP] = options.participants;
  const meanSeats = (minP + maxP) / 2;
  const emailOnlyProbability = Math.min(1, (options.emailOnlyShare * meanSeats) / Math.max(1e-9, meanSeats - 1));

  const plans = Array.from({ length: options.conversations }, (_, i) => {
    const others = intBetween(random, minP, maxP) - 1;
    return {
      creator: creators[i % creators.length],
      subject: `${ROLES[i % ROLES.length]} application #${i} (${run})`,
      others: Array.from({ length: others }, (_, k) => {
        const name = `${FIRST[intBetween(random, 0, FIRST.length - 1)]} ${LAST[intBetween(random, 0, LAST.length - 1)]}`;
        return { email: `p${i}-${k}.${run}@candidate.example`, displayName: name, emailOnly: random() < emailOnlyProbability };
      }),
    };
  });

  const ids: string[] = new Array(plans.length);
  let next = 0;
  const worker = async () => {
    while (next < plans.length) {
      const i = next++;
      const plan = plans[i];
      for (const other of plan.others.filter((o) => !o.emailOnly)) {
        await graphqlOk(options.gatewayUrl, `mutation($i: AccountInput!) { upsertAccount(input: $i) { id } }`, { i: { email: other.email, displayName: other.displayName } }, admin);
      }
      const { createConversation } = await graphqlOk(
        options.gatewayUrl,
        `mutation($i: CreateConversationInput!) { createConversation(input: $i) { id } }`,
        { i: { subject: plan.subject, useCase: `bench-${run}`.slice(0, 40), participants: plan.others.map((o) => ({ email: o.email, displayName: o.displayName })) } },
        plan.creator.token,
      );
      ids[i] = createConversation.id as string;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 6 }, worker));

  const docs = await options.db
    .collection<{ _id: string; subject: string; participants: { id: string; email: string; displayName: string; alias: string; accountId: string | null }[] }>('conversations')
    .find({ _id: { $in: ids } })
    .toArray();
  const byId = new Map(docs.map((d) => [d._id, d]));
  const conversations: ScenarioConversation[] = ids.map((id) => {
    const doc = byId.get(id);
    if (!doc) throw new Error(`conversation ${id} was created but is not in the conversations collection`);
    return {
      id,
      subject: doc.subject,
      participants: doc.participants.map((p) => ({ id: p.id, email: p.email.toLowerCase(), displayName: p.displayName, alias: p.alias, accountId: p.accountId ?? null })),
    };
  });
  return { run, conversations };
}

/** Share of seats without an account. */
export function emailOnlyShare(scenario: Scenario): number {
  const seats = scenario.conversations.flatMap((c) => c.participants);
  return seats.length ? seats.filter((p) => !p.accountId).length / seats.length : 0;
}
