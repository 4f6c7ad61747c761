import { bounceAddress, parseBounceAddress } from './bounce-address';

const options = { domain: 'relay.example.com', secret: 'bounce-secret' };

describe('bounceAddress', () => {
  it('carries the delivery id and a MAC in a bounces+ address on our domain', () => {
    expect(bounceAddress('dlv_01hx-9', options)).toMatch(/^bounces\+dlv_01hx-9\.[a-z2-7]{10}@relay\.example\.com$/);
  });

  it('is the same for the same delivery, and differs per delivery and per secret', () => {
    expect(bounceAddress('d1', options)).toBe(bounceAddress('d1', options));
    expect(bounceAddress('d1', options)).not.toBe(bounceAddress('d2', options));
    expect(bounceAddress('d1', options)).not.toBe(bounceAddress('d1', { ...options, secret: 'other' }));
  });

  it('keeps the local part within 64 characters for the longest delivery id', () => {
    const address = bounceAddress('a'.repeat(40), options);
    expect(address.split('@')[0].length).toBeLessThanOrEqual(64);
    expect(parseBounceAddress(address, options)).toBe('a'.repeat(40));
  });

  it.each(['a'.repeat(41), '', 'Dlv1', 'dlv.1', 'dlv:1', 'd1@x'])('refuses a delivery id it could not carry: %j', (id) => {
    expect(() => bounceAddress(id, options)).toThrow(/cannot be carried/);
  });

  it('refuses to sign without a secret', () => {
    expect(() => bounceAddress('d1', { ...options, secret: '' })).toThrow(/secret/);
  });
});

describe('parseBounceAddress', () => {
  const address = bounceAddress('dlv_01hx-9', options);

  it('finds the delivery id', () => {
    expect(parseBounceAddress(address, options)).toBe('dlv_01hx-9');
  });

  it.each([
    ['angle brackets', `<${address}>`],
    ['a display name', `"Mail Delivery" <${address}>`],
    ['upper case', address.toUpperCase()],
    ['surrounding spaces', `  ${address} `],
    ['a trailing dot on the domain', `${address}.`],
  ])('tolerates %s', (_what, given) => {
    expect(parseBounceAddress(given, options)).toBe('dlv_01hx-9');
  });

  it('accepts a domain configured in another case', () => {
    expect(parseBounceAddress(address, { ...options, domain: 'Relay.Example.com' })).toBe('dlv_01hx-9');
  });

  it('refuses a forged MAC', () => {
    const [local, domain] = address.split('@');
    const forged = `${local.slice(0, -1)}${local.endsWith('a') ? 'b' : 'a'}@${domain}`;
    expect(parseBounceAddress(forged, options)).toBeNull();
  });

  it('refuses a MAC minted for another delivery', () => {
    const other = bounceAddress('dlv_other', options);
    const mac = other.split('@')[0].split('.')[1];
    expect(parseBounceAddress(`bounces+dlv_01hx-9.${mac}@relay.example.com`, options)).toBeNull();
  });

  it('refuses an address signed with another secret', () => {
    expect(parseBounceAddress(address, { ...options, secret: 'rotated' })).toBeNull();
  });

  it('refuses another domain', () => {
    expect(parseBounceAddress(address.replace('relay.example.com', 'evil.example'), options)).toBeNull();
    expect(parseBounceAddress(address.replace('@relay.example.com', '@sub.relay.example.com'), options)).toBeNull();
  });

  it.each([null, undefined, '', 'jane@relay.example.com', 'bounces@relay.example.com', 'bounces+@relay.example.com', 'bounces+d1@relay.example.com', 'not an address'])(
    'refuses what is not a bounce address: %j',
    (given) => {
      expect(parseBounceAddress(given, options)).toBeNull();
    },
  );
});
