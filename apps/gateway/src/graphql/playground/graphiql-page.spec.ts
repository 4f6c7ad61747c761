import { PLAYGROUND_ASSETS, renderGraphiqlPage } from './graphiql-page';

describe('offline GraphiQL page', () => {
  const html = renderGraphiqlPage('/graphql');

  it('references only assets under the GraphQL path, and every one of them exists', () => {
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(references.length).toBe(5);
    for (const reference of references) {
      expect(reference).toMatch(/^\/graphql\/assets\//);
      expect(PLAYGROUND_ASSETS[reference.slice('/graphql/assets/'.length)]).toBeDefined();
    }
  });

  it('contains no URL with a scheme or host, and no inline script', () => {
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
    expect(html).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*src=)[^>]*>/);
  });

  it('serves the packaged files from node_modules', () => {
    expect(PLAYGROUND_ASSETS['react.production.min.js'].body().length).toBeGreaterThan(5_000);
    expect(PLAYGROUND_ASSETS['graphiql.min.css'].contentType).toMatch(/^text\/css/);
    expect(PLAYGROUND_ASSETS['graphiql-setup.js'].body().toString()).toContain('GraphiQL.createFetcher');
  });
});
