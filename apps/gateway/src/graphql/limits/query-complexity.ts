import { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { GraphqlLimits } from '../graphql-api.constants';

/**
 * A field that takes `first` returns up to that many items, each costing its selection; when
 * `first` is omitted it returns a default page. Other fields cost 1 plus their selection.
 */
export const pagedListEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!field.args.some((arg) => arg.name === 'first')) return undefined;
  const first = typeof args.first === 'number' && args.first >= 0 ? args.first : GraphqlLimits.defaultPageSize;
  return 1 + childComplexity * Math.max(first, 1);
};

/**
 * The estimated cost of running `operationName` of `document`, or the error to answer with when
 * it exceeds `maxComplexity` (or cannot be estimated).
 */
export function complexityError(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
  maxComplexity: number = GraphqlLimits.maxComplexity,
): GraphQLError | undefined {
  let complexity: number;
  try {
    complexity = getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      operationName: operationName ?? undefined,
      estimators: [pagedListEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (error) {
    // Unusable variables or an oversized document: the client's mistake, said plainly.
    const message = error instanceof GraphQLError ? error.message : 'The operation could not be analysed.';
    return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
  }
  if (complexity <= maxComplexity) return undefined;
  return new GraphQLError(
    `The operation is too complex: its estimated cost is ${complexity}, the maximum is ${maxComplexity}. Ask for fewer items (first) or fewer nested fields.`,
    { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } },
  );
}
