import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_ALIAS, FIXTURE_NAMES, loadFixture } from './fixtures';

describe('loadFixture', () => {
  it('lists every .eml file in the fixtures folder, and nothing else', () => {
    const files = readdirSync(join(__dirname, 'fixtures')).filter((file) => file.endsWith('.eml'));
    expect(files.map((file) => file.replace(/\.eml$/, '')).sort()).toEqual([...FIXTURE_NAMES].sort());
  });

  it('returns the raw bytes of a fixture', () => {
    expect(loadFixture('gmail-reply').toString('latin1')).toMatch(/^Return-Path: <bob\.smith@acme\.example>\r\n/);
  });

  it('replaces strings everywhere, e.g. the alias an end-to-end test created', () => {
    const raw = loadFixture('gmail-reply', { replace: { [FIXTURE_ALIAS]: 'jane-x@relay.test' } }).toString('latin1');
    expect(raw).toContain('To: Jane Doe <jane-x@relay.test>');
    expect(raw).not.toContain(FIXTURE_ALIAS);
  });

  it('leaves 8-bit bodies byte-for-byte intact while replacing', () => {
    const original = loadFixture('iso-8859-1');
    const replaced = loadFixture('iso-8859-1', { replace: { [FIXTURE_ALIAS]: FIXTURE_ALIAS.toUpperCase() } });
    const body = (raw: Buffer) => raw.subarray(raw.indexOf('\r\n\r\n'));
    expect(body(replaced).equals(body(original))).toBe(true);
  });

  it.each(FIXTURE_NAMES)('%s ends its lines with CRLF, as mail does on the wire', (name) => {
    expect(loadFixture(name).toString('latin1')).not.toMatch(/[^\r]\n/);
  });
});
