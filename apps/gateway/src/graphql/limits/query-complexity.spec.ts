import { buildSchema, parse } from 'graphql';
import { complexityError } from './query-complexity';

const schema = buildSchema(`
  type Query { me: Account!, conversations(first: Int, after: String): ConversationConnection! }
  type Account { id: ID!, email: String! }
  type ConversationConnection { edges: [Edge!]! }
  type Edge { node: Conversation! }
  type Conversation { id: ID!, messages(first: Int): MessageConnection! }
  type MessageConnection { edges: [MessageEdge!]! }
  type MessageEdge { node: Message! }
  type Message { id: ID!, body: String! }
`);

const costOf = (query: string, variables?: Record<string, unknown>, max = 2_000) => complexityError(schema, parse(query), variables, undefined, max);

describe('query complexity', () => {
  it('lets ordinary operations through', () => {
    expect(costOf('{ me { id email } }')).toBeUndefined();
    expect(costOf('{ conversations(first: 20) { edges { node { id messages(first: 20) { edges { node { id body } } } } } } }')).toBeUndefined();
  });

  it('multiplies by first, including first given as a variable', () => {
    const nested = 'query($n: Int) { conversations(first: $n) { edges { node { id messages(first: $n) { edges { node { id body } } } } } } }';
    expect(costOf(nested, { n: 10 })).toBeUndefined();
    const error = costOf(nested, { n: 100 });
    expect(error?.message).toMatch(/^The operation is too complex: its estimated cost is \d+, the maximum is 2000\./);
    expect(error?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } });
  });

  it('assumes a default page when first is omitted', () => {
    expect(costOf('{ conversations { edges { node { id } } } }', undefined, 40)?.message).toMatch(/estimated cost is 61/);
  });

  it('counts aliases: many copies of a cheap field add up', () => {
    const flood = `{ ${Array.from({ length: 1_000 }, (_, i) => `a${i}: me { id email }`).join(' ')} }`;
    expect(costOf(flood)).toBeDefined();
  });
});
