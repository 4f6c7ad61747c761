import mongoose, { Connection } from 'mongoose';
import { ErrorCategory } from '@libs/contracts';
import { AccountRecord, AccountRecordSchema, IdentityErrorCode, MongoIdentityDirectory } from '@libs/identity';
import { describeIdentityDirectoryContract } from '../../libs/identity/src/testing/identity-directory.contract';
import { runId } from '../support/env';

async function connect(uri: string, options: mongoose.ConnectOptions = {}): Promise<Connection> {
  return mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5_000, ...options }).asPromise();
}

/** Each run gets its own database, so indexes and documents never leak between runs. */
function databaseUrl(name: string): string {
  const url = new URL(process.env.MONGO_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

describeIdentityDirectoryContract('MongoDB adapter against the real MongoDB-wire server', async () => {
  const connection = await connect(databaseUrl(runId('identity').replace(/-/g, '_')));
  const model = connection.model(AccountRecord.name, AccountRecordSchema);
  await model.init(); // the unique index must exist before the race test
  return {
    directory: new MongoIdentityDirectory(model),
    dispose: async () => {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    },
  };
});

describe('MongoDB adapter storage', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await connect(databaseUrl(runId('identity_ix').replace(/-/g, '_')));
  });

  afterAll(async () => {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  });

  it('keeps accounts in the accounts collection with a unique email index and a previousEmails index', async () => {
    const model = connection.model(AccountRecord.name, AccountRecordSchema);
    await model.init();
    await new MongoIdentityDirectory(model).upsert({ email: 'Index@Example.com', displayName: 'I' });
    const indexes = await connection.collection('accounts').indexes();
    expect(indexes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: { email: 1 }, unique: true }),
        expect.objectContaining({ key: { previousEmails: 1 } }),
      ]),
    );
    expect(await connection.collection('accounts').findOne({ email: 'index@example.com' })).toMatchObject({ _id: expect.any(String) });
  });

  it('reports IDENTITY_UNAVAILABLE when MongoDB cannot be reached', async () => {
    const unreachable = mongoose.createConnection('mongodb://127.0.0.1:1/nothing', { serverSelectionTimeoutMS: 300, bufferCommands: false });
    unreachable.on('error', () => undefined);
    const directory = new MongoIdentityDirectory(unreachable.model(AccountRecord.name, AccountRecordSchema));
    await expect(directory.findByEmail('a@example.com')).rejects.toMatchObject({
      category: ErrorCategory.Unavailable,
      code: IdentityErrorCode.Unavailable,
    });
    await unreachable.close().catch(() => undefined);
  });
});
