import { TOKEN_ALPHABET, TOKEN_BITS, TOKEN_LENGTH, generateAliasToken, issueAlias, parseAliasAddress, slugify } from './alias-address';

const options = { aliasDomain: 'relay.example.com', legacyDomains: ['reply.legacy.example.com'] };

describe('alias tokens', () => {
  it('carry at least 60 bits', () => {
    expect(TOKEN_BITS).toBeGreaterThanOrEqual(60);
    expect(generateAliasToken()).toMatch(new RegExp(`^[${TOKEN_ALPHABET}]{${TOKEN_LENGTH}}$`));
  });

  it('are unique over 100,000 draws and use every symbol about equally', () => {
    const tokens = new Set<string>();
    const counts = new Map<string, number>();
    for (let i = 0; i < 100_000; i++) {
      const token = generateAliasToken();
      tokens.add(token);
      for (const symbol of token) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    }
    expect(tokens.size).toBe(100_000);
    // 1.3M symbols over 32 letters: ~40,625 each; a biased generator would be far off.
    const expected = (100_000 * TOKEN_LENGTH) / TOKEN_ALPHABET.length;
    for (const symbol of TOKEN_ALPHABET) expect(Math.abs((counts.get(symbol) ?? 0) - expected) / expected).toBeLessThan(0.03);
  });

  it('come from the random source, not from the display name', () => {
    const fixed = () => Buffer.alloc(TOKEN_LENGTH, 7);
    expect(generateAliasToken(fixed)).toBe(TOKEN_ALPHABET[7].repeat(TOKEN_LENGTH));
    expect(issueAlias('Jane Doe', 'relay.example.com').token).not.toBe(issueAlias('Jane Doe', 'relay.example.com').token);
  });
});

describe('slugify', () => {
  it.each([
    ['Jane Doe', 'jane-doe'],
    ['  José Ångström-Müller ', 'jose-angstrom-muller'],
    ['Straße', 'strasse'],
    ['李小龍', 'participant'],
    ['"; DROP TABLE --', 'drop-table'],
    ['A very long display name that goes on and on', 'a-very-long-display-name'],
    ['', 'participant'],
  ])('%j → %j', (name, slug) => expect(slugify(name)).toBe(slug));

  it('never exceeds 24 characters nor ends with a hyphen', () => {
    const slug = slugify('abcdefghijklmnopqrstuvw-xyz');
    expect(slug.length).toBeLessThanOrEqual(24);
    expect(slug.endsWith('-')).toBe(false);
  });
});

describe('parseAliasAddress', () => {
  const { address, token } = issueAlias('Jane Doe', 'relay.example.com');

  it('round-trips an issued alias', () => {
    expect(parseAliasAddress(address, options)).toEqual({ kind: 'alias', address, token });
  });

  it('is case-insensitive and ignores +tags and display names', () => {
    for (const variant of [
      address.toUpperCase(),
      address.replace('@', '+work@'),
      `Jane Doe <${address}>`,
      `"Doe, Jane (via Outlook)" <${address.replace('@', '+x@').toUpperCase()}>`,
      `=?utf-8?Q?Jos=C3=A9?= <${address}>`,
      `  ${address}  `,
    ]) {
      expect(parseAliasAddress(variant, options)).toEqual({ kind: 'alias', address, token });
    }
  });

  it('routes by token even without the slug', () => {
    expect(parseAliasAddress(`${token}@relay.example.com`, options)).toEqual({ kind: 'alias', address: `${token}@relay.example.com`, token });
  });

  it('recognises legacy UUID-style aliases on our and the legacy domains', () => {
    const uuid = '3f2a9c4e-1b7d-4e8a-9f00-0a1b2c3d4e5f';
    expect(parseAliasAddress(`${uuid.toUpperCase()}@Reply.Legacy.Example.com`, options)).toEqual({
      kind: 'legacy',
      address: `${uuid}@reply.legacy.example.com`,
      legacyId: uuid,
    });
    expect(parseAliasAddress(`<${uuid}+t@relay.example.com>`, options)).toMatchObject({ kind: 'legacy', legacyId: uuid });
  });

  it('tells our unknown addresses from foreign ones', () => {
    expect(parseAliasAddress('postmaster@relay.example.com', options)).toEqual({ kind: 'unknown', address: 'postmaster@relay.example.com' });
    expect(parseAliasAddress('jane-doe-shorttoken@relay.example.com', options).kind).toBe('unknown');
    expect(parseAliasAddress(`jane@gmail.com`, options)).toEqual({ kind: 'foreign', address: 'jane@gmail.com' });
  });

  it.each([
    ['very long', `${'a'.repeat(2_000)}@relay.example.com`],
    ['long local part', `${'a'.repeat(65)}@relay.example.com`],
    ['unicode local part', 'jäne-doe-abcdefghijkmn@relay.example.com'],
    ['double dot', 'jane..doe@relay.example.com'],
    ['leading dot', '.jane@relay.example.com'],
    ['dot-dot domain', 'jane@relay..example.com'],
    ['two @', 'a@b@relay.example.com'],
    ['no @', 'relay.example.com'],
    ['quoted local part', '"jane doe"@relay.example.com'],
    ['encoded word address', '=?utf-8?B?amFuZQ==?=@relay.example.com'],
    ['NUL byte', `jane\u0000@relay.example.com`],
    ['CRLF injection', `${address}\r\nBcc: victim@example.com`],
    ['two mailboxes', `${address}, other@relay.example.com`],
    ['group syntax', `team: ${address};`],
    ['unbalanced quote', `"Jane <${address}>`],
    ['unclosed angle', `Jane <${address}`],
    ['trailing garbage', `<${address}> extra`],
    ['empty', ''],
  ])('refuses %s cleanly', (_name, input) => {
    expect(parseAliasAddress(input, options).kind).toBe('invalid');
  });
});
