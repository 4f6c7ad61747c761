import { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { renderGraphiqlPage } from './graphiql-page';

/**
 * Apollo serves a landing page for `GET /graphql` from a browser (Accept: text/html); this one
 * is the offline GraphiQL page. It is public: the page holds no data, and every operation it
 * sends still needs a token.
 */
export function graphiqlLandingPagePlugin(graphqlPath: string): ApolloServerPlugin<BaseContext> {
  const html = renderGraphiqlPage(graphqlPath);
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
