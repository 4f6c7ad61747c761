import { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphqlLimits } from '../graphql-api.constants';
import { complexityError } from './query-complexity';

/**
 * Estimates each HTTP operation's cost once it is parsed and validated, before any resolver
 * runs. A plugin rather than a validation rule because the cost depends on the variables
 * (`first: $n`), which validation rules do not see.
 */
export function queryComplexityPlugin(maxComplexity: number = GraphqlLimits.maxComplexity): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          const error = complexityError(schema, document, request.variables, operationName ?? request.operationName, maxComplexity);
          if (error) throw error;
        },
      };
    },
  };
}
