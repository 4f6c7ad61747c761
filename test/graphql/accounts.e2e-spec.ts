import { GatewayUnderTest, adminToken, token, uniqueEmail } from './support/gateway-under-test';

const UPSERT = `mutation Upsert($input: AccountInput!) { upsertAccount(input: $input) { id email displayName } }`;
const ME = '{ me { id email displayName } }';

interface AccountData {
  id: string;
  email: string;
  displayName: string;
}

describe('Accounts over GraphQL (built gateway, real MongoDB-wire server)', () => {
  let gateway: GatewayUnderTest;
  let admin: string;

  beforeAll(async () => {
    gateway = await GatewayUnderTest.start();
    admin = await adminToken();
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  async function upsert(input: Record<string, unknown>) {
    return gateway.graphql<{ upsertAccount: AccountData }>(UPSERT, { token: admin, variables: { input } });
  }

  it('lets an admin upsert an account, which its owner then sees as me', async () => {
    const email = uniqueEmail('jane');
    const created = await upsert({ email: email.toUpperCase(), displayName: '  Jane Doe ' });
    const account = gateway.dataOf(created).upsertAccount;
    expect(account).toEqual({ id: expect.any(String), email, displayName: 'Jane Doe' });

    const me = await gateway.graphql<{ me: AccountData }>(ME, { token: await token({ sub: account.id, email }) });
    expect(me.body).toEqual({ data: { me: account } });
  });

  it('is idempotent: upserting the same address again updates the same account', async () => {
    const email = uniqueEmail('idem');
    const first = gateway.dataOf(await upsert({ email, displayName: 'First' })).upsertAccount;
    const second = gateway.dataOf(await upsert({ email, displayName: 'Second' })).upsertAccount;
    expect(second).toEqual({ ...first, displayName: 'Second' });
  });

  it('resolves me by the token email when the subject is not an account id', async () => {
    const email = uniqueEmail('by-email');
    const account = gateway.dataOf(await upsert({ email, displayName: 'By Email' })).upsertAccount;
    const me = await gateway.graphql<{ me: AccountData }>(ME, { token: await token({ sub: 'idp-subject-123', email: email.toUpperCase() }) });
    expect(gateway.dataOf(me).me).toEqual(account);
  });

  it('recognises a previous address: a token for the old address resolves to the account', async () => {
    const current = uniqueEmail('moved-new');
    const previous = uniqueEmail('moved-old');
    const account = gateway.dataOf(await upsert({ email: current, displayName: 'Moved', previousEmails: [previous] })).upsertAccount;
    const me = await gateway.graphql<{ me: AccountData }>(ME, { token: await token({ sub: 'unknown-subject', email: previous }) });
    expect(gateway.dataOf(me).me).toEqual(account);
  });

  it('describes a caller the directory does not know from the token claims', async () => {
    const email = uniqueEmail('stranger');
    const me = await gateway.graphql<{ me: AccountData }>(ME, { token: await token({ sub: 'stranger-1', email }) });
    expect(gateway.dataOf(me).me).toEqual({ id: 'stranger-1', email, displayName: email.split('@')[0] });
  });

  it("answers CONFLICT when a previous address is another account's current address", async () => {
    const owner = uniqueEmail('owner');
    await upsert({ email: owner, displayName: 'Owner' });
    const response = await upsert({ email: uniqueEmail('claimant'), displayName: 'Claimant', previousEmails: [owner] });
    expect(response.body.errors).toEqual([
      expect.objectContaining({ path: ['upsertAccount'], extensions: { code: 'CONFLICT', reason: 'EMAIL_IN_USE' } }),
    ]);
  });

  it.each([
    ['an address without @', { email: 'not-an-address', displayName: 'X' }, 'INVALID_EMAIL'],
    ['an address with two @', { email: 'a@b@example.com', displayName: 'X' }, 'INVALID_EMAIL'],
    ['a display name with a line break', { email: 'x@example.com', displayName: 'X\r\nBcc: y@example.com' }, 'INVALID_DISPLAY_NAME'],
    ['an invalid previous address', { email: 'x@example.com', displayName: 'X', previousEmails: ['nope'] }, 'INVALID_EMAIL'],
  ])('answers BAD_USER_INPUT for %s', async (_, input, reason) => {
    const response = await upsert(input);
    expect(response.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', reason } })]);
  });
});
