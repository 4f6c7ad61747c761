import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * GraphiQL served entirely by the gateway, so the playground works with no internet access
 * (DESIGN §6). Apollo's own landing pages and @nestjs/apollo's GraphiQL load from CDNs.
 */

export interface PlaygroundAsset {
  contentType: string;
  body: () => Buffer;
}

const JS = 'application/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Files of installed packages. Their `exports` hide the UMD builds, so paths are resolved by hand. */
function packageFile(pkg: string, file: string): () => Buffer {
  let cached: Buffer | undefined;
  return () => (cached ??= readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), file)));
}

/** Mounts GraphiQL on the page's own URL: HTTP for queries, WebSocket (graphql-ws) on the same path. */
const SETUP_SCRIPT = `(function () {
  'use strict';
  var path = window.location.pathname.replace(/\\/+$/, '');
  var wsScheme = window.location.protocol === 'https:' ? 'wss://' : 'ws://';
  var fetcher = GraphiQL.createFetcher({
    url: window.location.origin + path,
    subscriptionUrl: wsScheme + window.location.host + path
  });
  var headers = JSON.stringify({ Authorization: 'Bearer <paste an access token here>' }, null, 2);
  var query = [
    '# Every operation needs an access token: put it in the Headers tab below,',
    '# as "Authorization": "Bearer <token>". Subscriptions use the same header.',
    '{',
    '  me {',
    '    id',
    '    email',
    '    displayName',
    '  }',
    '}',
    ''
  ].join('\\n');
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultHeaders: headers,
      defaultQuery: query,
      defaultEditorToolsVisibility: 'headers',
      isHeadersEditorEnabled: true
    })
  );
})();
`;

export const PLAYGROUND_ASSETS: Readonly<Record<string, PlaygroundAsset>> = {
  'react.production.min.js': { contentType: JS, body: packageFile('react', 'umd/react.production.min.js') },
  'react-dom.production.min.js': { contentType: JS, body: packageFile('react-dom', 'umd/react-dom.production.min.js') },
  'graphiql.min.js': { contentType: JS, body: packageFile('graphiql', 'graphiql.min.js') },
  'graphiql.min.css': { contentType: CSS, body: packageFile('graphiql', 'graphiql.min.css') },
  'graphiql-setup.js': { contentType: JS, body: () => Buffer.from(SETUP_SCRIPT, 'utf8') },
};

export function playgroundAssetsPath(graphqlPath: string): string {
  return `${graphqlPath.replace(/\/+$/, '')}/assets`;
}

/** The page: only same-origin, path-absolute references, no inline script. */
export function renderGraphiqlPage(graphqlPath: string): string {
  const assets = playgroundAssetsPath(graphqlPath);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>Conversation Alias · GraphiQL</title>
    <link rel="stylesheet" href="${assets}/graphiql.min.css" />
    <style>
      html, body { height: 100%; margin: 0; }
      #graphiql { height: 100vh; }
    </style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script src="${assets}/react.production.min.js"></script>
    <script src="${assets}/react-dom.production.min.js"></script>
    <script src="${assets}/graphiql.min.js"></script>
    <script src="${assets}/graphiql-setup.js"></script>
  </body>
</html>
`;
}
