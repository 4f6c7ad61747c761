import { DynamicModule, InjectionToken, Logger, Module, ModuleMetadata } from '@nestjs/common';
import { MongooseModule, getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { UpsertAccountHandler } from './application/commands/upsert-account/upsert-account.handler';
import { FindAccountByEmailHandler } from './application/queries/find-account-by-email/find-account-by-email.handler';
import { GetAccountHandler } from './application/queries/get-account/get-account.handler';
import { IDENTITY_DIRECTORY, IdentityDirectory } from './domain/identity-directory.port';
import { HttpIdentityDirectory } from './infrastructure/http/http-identity-directory.adapter';
import { AccountRecord, AccountRecordSchema } from './infrastructure/mongo/account.schema';
import { MongoIdentityDirectory } from './infrastructure/mongo/mongo-identity-directory.adapter';

export interface IdentityConfig {
  /** Set: accounts live in an external identity service (HTTP adapter). Unset: in MongoDB. */
  IDENTITY_SERVICE_URL?: string;
  IDENTITY_SERVICE_TOKEN?: string;
  IDENTITY_SERVICE_TIMEOUT_MS?: number;
}

export interface IdentityModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...args: any[]) => IdentityConfig | Promise<IdentityConfig>;
}

const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');
const HANDLERS = [UpsertAccountHandler, FindAccountByEmailHandler, GetAccountHandler];

export function createIdentityDirectory(config: IdentityConfig, accounts: Model<AccountRecord>): IdentityDirectory {
  const url = config.IDENTITY_SERVICE_URL?.trim();
  if (!url) return new MongoIdentityDirectory(accounts);
  if (!/^https?:\/\/[^/\s]+/i.test(url)) {
    // Config is validated at the app's edge; this guards a lib used with a hand-built config.
    throw new Error(`IDENTITY_SERVICE_URL: expected an http: or https: URL, for example https://identity.internal`);
  }
  new Logger('IdentityModule').log(`Accounts are read from the identity service at ${new URL(url).origin}`);
  return new HttpIdentityDirectory({ baseUrl: url, token: config.IDENTITY_SERVICE_TOKEN, timeoutMs: config.IDENTITY_SERVICE_TIMEOUT_MS });
}

/**
 * Accounts and their addresses, behind the IdentityDirectory port, with the CQRS handlers
 * UpsertAccountCommand, FindAccountByEmailQuery and GetAccountQuery.
 *
 * The app imports `CqrsModule.forRoot()` once; this module only contributes handlers, so two
 * libs never create two buses.
 */
@Module({})
export class IdentityModule {
  static forRootAsync(options: IdentityModuleAsyncOptions): DynamicModule {
    return {
      module: IdentityModule,
      imports: [...(options.imports ?? []), MongooseModule.forFeature([{ name: AccountRecord.name, schema: AccountRecordSchema }])],
      providers: [
        { provide: IDENTITY_CONFIG, inject: options.inject ?? [], useFactory: options.useFactory },
        {
          provide: IDENTITY_DIRECTORY,
          inject: [IDENTITY_CONFIG, getModelToken(AccountRecord.name)],
          useFactory: createIdentityDirectory,
        },
        ...HANDLERS,
      ],
      exports: [IDENTITY_DIRECTORY],
    };
  }

  /** The handlers on a given directory (e.g. InMemoryIdentityDirectory), for tests of callers. */
  static withDirectory(directory: IdentityDirectory): DynamicModule {
    return {
      module: IdentityModule,
      providers: [{ provide: IDENTITY_DIRECTORY, useValue: directory }, ...HANDLERS],
      exports: [IDENTITY_DIRECTORY],
    };
  }
}
