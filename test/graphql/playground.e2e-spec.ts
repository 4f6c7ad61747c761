import { GatewayUnderTest } from './support/gateway-under-test';

/** Every URL-ish reference in an HTML page: src/href attributes and any absolute URL at all. */
function referencesOf(html: string): { attributes: string[]; absoluteUrls: string[] } {
  const attributes = [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]);
  const absoluteUrls = [...html.matchAll(/(?:https?:)?\/\/[^\s"'<>)]+/gi)].map((m) => m[0]);
  return { attributes, absoluteUrls };
}

describe('Offline GraphiQL playground (built gateway, no internet needed)', () => {
  let gateway: GatewayUnderTest;

  beforeAll(async () => {
    gateway = await GatewayUnderTest.start();
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  async function page(): Promise<{ response: Response; html: string }> {
    const response = await fetch(gateway.url, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    return { response, html: await response.text() };
  }

  it('serves GraphiQL at GET /graphql to a browser, without a token', async () => {
    const { response, html } = await page();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('<div id="graphiql">');
  });

  it('references no URL outside the gateway: no http://, https:// or protocol-relative URL at all', async () => {
    const { html } = await page();
    const { absoluteUrls, attributes } = referencesOf(html);
    const origin = new URL(gateway.url).origin;
    expect(absoluteUrls.filter((url) => !url.startsWith(origin))).toEqual([]);
    expect(html).not.toMatch(/https?:\/\//i);
    for (const reference of attributes) expect(reference).toMatch(/^\/graphql\/assets\/[\w.-]+$/);
  });

  it('serves every script and stylesheet the page references, from the gateway itself', async () => {
    const { html } = await page();
    const { attributes } = referencesOf(html);
    expect(attributes).toEqual(
      expect.arrayContaining([
        '/graphql/assets/graphiql.min.css',
        '/graphql/assets/react.production.min.js',
        '/graphql/assets/react-dom.production.min.js',
        '/graphql/assets/graphiql.min.js',
        '/graphql/assets/graphiql-setup.js',
      ]),
    );
    for (const path of attributes) {
      const asset = await fetch(new URL(path, gateway.url));
      expect({ path, status: asset.status }).toEqual({ path, status: 200 });
      expect(asset.headers.get('content-type')).toMatch(path.endsWith('.css') ? /^text\/css/ : /^application\/javascript/);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(path.endsWith('setup.js') ? 100 : 5_000);
    }
  });

  it('ships the real packages: React 18 UMD and GraphiQL 3 with its graphql-ws client', async () => {
    const react = await (await fetch(`${gateway.url}/assets/react.production.min.js`)).text();
    expect(react).toMatch(/React\b[\s\S]*production\.min\.js/);
    const graphiql = await (await fetch(`${gateway.url}/assets/graphiql.min.js`)).text();
    expect(graphiql).toContain('graphql-transport-ws');
  });

  it('points GraphiQL at the same origin and path, over HTTP and WebSocket, with an Authorization header hint', async () => {
    const setup = await (await fetch(`${gateway.url}/assets/graphiql-setup.js`)).text();
    expect(setup).toContain('window.location.origin + path');
    expect(setup).toContain("wsScheme + window.location.host + path");
    expect(setup).toContain("Authorization: 'Bearer <paste an access token here>'");
    expect(setup).toContain('defaultHeaders');
    expect(setup).not.toMatch(/https?:\/\//);
  });

  it('serves only the known assets', async () => {
    expect((await fetch(`${gateway.url}/assets/package.json`)).status).toBe(404);
    expect((await fetch(`${gateway.url}/assets/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${gateway.url}/assets/graphiql.min.js.map`)).status).toBe(404);
  });

  it('still answers API clients (no text/html) with GraphQL, not the page', async () => {
    const response = await fetch(`${gateway.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })] });
  });
});
