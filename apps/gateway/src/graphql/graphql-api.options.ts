import { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { AppConfig } from '@libs/config';
import { graphqlContextFactory } from './auth/graphql-context.factory';
import { errorLoggingPlugin } from './errors/error-logging.plugin';
import { formatGraphqlError } from './errors/graphql-error.mapping';
import { GRAPHQL_PATH, GraphqlLimits } from './graphql-api.constants';
import { depthLimitRule } from './limits/depth-limit.rule';
import { queryComplexityPlugin } from './limits/query-complexity.plugin';
import { graphiqlLandingPagePlugin } from './playground/graphiql-landing-page.plugin';
import { graphqlWsOptions } from './subscriptions/graphql-ws.options';

/** The GraphQL server of the gateway: code-first schema, bearer JWT auth, limits, safe errors. */
export function createGraphqlOptions(config: AppConfig<'auth'>, schemaHost: GraphQLSchemaHost): ApolloDriverConfig {
  const context = graphqlContextFactory(config.JWT_SECRET);
  return {
    path: GRAPHQL_PATH,
    autoSchemaFile: true,
    sortSchema: true,
    // The playground needs introspection; callers still need a token for it.
    introspection: true,
    // Apollo's and Nest's built-in playgrounds load from a CDN; ours is served locally.
    playground: false,
    graphiql: false,
    includeStacktraceInErrorResponses: false,
    // formatGraphqlError maps every error itself, HttpExceptions included.
    autoTransformHttpErrors: false,
    csrfPrevention: true,
    validationRules: [depthLimitRule(GraphqlLimits)],
    plugins: [graphiqlLandingPagePlugin(GRAPHQL_PATH), queryComplexityPlugin(GraphqlLimits.maxComplexity), errorLoggingPlugin()],
    formatError: formatGraphqlError,
    context,
    subscriptions: {
      'graphql-ws': graphqlWsOptions({ jwtSecret: config.JWT_SECRET, schema: () => schemaHost.schema }) as Record<string, unknown>,
    },
  };
}
