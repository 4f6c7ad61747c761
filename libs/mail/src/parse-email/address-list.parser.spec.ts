import { parseAddressList } from './address-list.parser';

describe('parseAddressList', () => {
  it('reads name and address', () => {
    expect(parseAddressList('Jane Doe <jane@x.example>')).toEqual([{ address: 'jane@x.example', name: 'Jane Doe' }]);
  });

  it('reads a quoted display name with a comma', () => {
    expect(parseAddressList('"Doe, Jane" <jane@x.example>, bob@y.example')).toEqual([
      { address: 'jane@x.example', name: 'Doe, Jane' },
      { address: 'bob@y.example', name: '' },
    ]);
  });

  it('decodes an encoded display name with the charset fallbacks', () => {
    expect(parseAddressList('=?unknown-8bit?Q?J=FCrgen?= <j@x.example>')[0].name).toBe('Jürgen');
  });

  it('flattens groups', () => {
    expect(parseAddressList('Team: a@x.example, b@x.example;').map((entry) => entry.address)).toEqual(['a@x.example', 'b@x.example']);
  });

  it('has no entries for an empty group such as undisclosed-recipients', () => {
    expect(parseAddressList('undisclosed-recipients:;')).toEqual([]);
  });

  it('never turns an encoded display name into an address', () => {
    expect(parseAddressList('=?utf-8?Q?attacker=40evil.example?= <jane@x.example>')).toEqual([{ address: 'jane@x.example', name: 'attacker@evil.example' }]);
  });

  it('drops entries without a usable address', () => {
    expect(parseAddressList('Jane Doe')).toEqual([]);
  });
});
