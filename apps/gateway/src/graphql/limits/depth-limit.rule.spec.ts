import { buildSchema, getIntrospectionQuery, parse, specifiedRules, validate } from 'graphql';
import { GraphqlLimits } from '../graphql-api.constants';
import { depthLimitRule } from './depth-limit.rule';

const schema = buildSchema(`
  type Query { me: Account!, node(id: ID!): Node }
  type Account { id: ID!, friends: [Account!]!, node: Node }
  interface Node { id: ID! }
  type Thing implements Node { id: ID!, owner: Account }
`);

function errorsOf(query: string, limits = { maxDepth: 4, maxIntrospectionDepth: 6 }): string[] {
  return validate(schema, parse(query), [...specifiedRules, depthLimitRule(limits)]).map((error) => error.message);
}

const nested = (levels: number) => `${'{ me '.repeat(1)}{ ${'friends { '.repeat(levels - 2)}id${' }'.repeat(levels - 2)} }}`;

describe('depthLimitRule', () => {
  it('accepts an operation at the limit and refuses one beyond it', () => {
    expect(errorsOf(nested(4))).toEqual([]);
    expect(errorsOf(nested(5))).toEqual(['The operation is too deep: its fields nest 5 levels, the maximum is 4.']);
  });

  it('names the operation', () => {
    expect(errorsOf(`query Deep ${nested(6)}`)).toEqual(['Operation "Deep" is too deep: its fields nest 6 levels, the maximum is 4.']);
  });

  it('counts fragments where they are spread, and not inline fragments themselves', () => {
    const viaFragments = `{ me { ...F } } fragment F on Account { friends { ...G } } fragment G on Account { friends { friends { id } } }`;
    expect(errorsOf(viaFragments)).toEqual(['The operation is too deep: its fields nest 5 levels, the maximum is 4.']);
    const inline = `{ node(id: "1") { ... on Thing { owner { ... on Account { friends { id } } } } } }`;
    expect(errorsOf(inline)).toEqual([]);
  });

  it('looks through fragments spread at the root', () => {
    expect(errorsOf(`{ ...Root } fragment Root on Query { me { friends { friends { friends { id } } } } }`)).toHaveLength(1);
  });

  it('measures a fragment spread many times once (no blow-up)', () => {
    const fragments = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Account { a: friends { ...F${i + 1} } b: friends { ...F${i + 1} } }`).join('\n');
    const started = Date.now();
    const errors = errorsOf(`{ me { ...F0 } } ${fragments} fragment F30 on Account { id }`, { maxDepth: 100, maxIntrospectionDepth: 6 });
    expect(errors).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('survives fragment cycles (graphql-js reports them)', () => {
    const errors = errorsOf(`{ me { ...A } } fragment A on Account { friends { ...B } } fragment B on Account { friends { ...A } }`);
    expect(errors.some((message) => /Cannot spread fragment/.test(message))).toBe(true);
  });

  it('gives introspection its own budget, enough for the standard introspection query', () => {
    const standard = validate(schema, parse(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, specifiedByUrl: true })), [
      depthLimitRule(GraphqlLimits),
    ]);
    expect(standard).toEqual([]);
    const endless = `{ __type(name: "Account") { ${'fields { type { '.repeat(4)} name ${'} } '.repeat(4)} } }`;
    expect(errorsOf(endless)).toContain('The operation is too deep: its introspection fields nest 10 levels, the maximum is 6.');
  });
});
