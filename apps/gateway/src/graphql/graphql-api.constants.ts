/** Where the GraphQL API, its playground and its WebSocket endpoint live (DESIGN §6). */
export const GRAPHQL_PATH = '/graphql';

/**
 * Bounds on what one request may ask of the server. Each protects against a different way of
 * making the gateway do unbounded work with a small request.
 */
export const GraphqlLimits = {
  /** Nested field levels in one operation (`{ me { id } }` is 2). */
  maxDepth: 10,
  /**
   * The same for `__schema` / `__type`: the standard introspection query (GraphiQL's) nests 15
   * levels, with some headroom for other tools' variants.
   */
  maxIntrospectionDepth: 20,
  /** Estimated cost: 1 per field, list fields taking `first` multiply their selection by it. */
  maxComplexity: 2_000,
  /** The page size a connection field is assumed to return when `first` is omitted. */
  defaultPageSize: 20,
  /** A JSON request body; inputs are small (a message body is capped well below this). */
  maxBodyBytes: 64 * 1024,
} as const;
