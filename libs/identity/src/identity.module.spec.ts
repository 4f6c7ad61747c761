import type { Model } from 'mongoose';
import { createIdentityDirectory } from './identity.module';
import { HttpIdentityDirectory } from './infrastructure/http/http-identity-directory.adapter';
import { AccountRecord } from './infrastructure/mongo/account.schema';
import { MongoIdentityDirectory } from './infrastructure/mongo/mongo-identity-directory.adapter';

const model = {} as Model<AccountRecord>;

describe('IdentityModule adapter choice', () => {
  it('uses MongoDB when IDENTITY_SERVICE_URL is not set', () => {
    expect(createIdentityDirectory({}, model)).toBeInstanceOf(MongoIdentityDirectory);
    expect(createIdentityDirectory({ IDENTITY_SERVICE_URL: '  ' }, model)).toBeInstanceOf(MongoIdentityDirectory);
  });

  it('uses the identity service when IDENTITY_SERVICE_URL is set', () => {
    expect(createIdentityDirectory({ IDENTITY_SERVICE_URL: 'https://identity.internal/v1' }, model)).toBeInstanceOf(HttpIdentityDirectory);
  });

  it('refuses a URL that is not http(s), naming the setting', () => {
    expect(() => createIdentityDirectory({ IDENTITY_SERVICE_URL: 'identity.internal' }, model)).toThrow(/^IDENTITY_SERVICE_URL: expected an http/);
  });
});
