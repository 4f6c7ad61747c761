import { InfraError } from '../proc';
import { ferretdb, isFerretDb } from './ferretdb';
import { isMongoJavaServer, mongoJavaServer } from './mongo-java-server';
import type { LocalService } from './types';

/**
 * The local MongoDB-wire server: mongo-java-server by default (atomic per document, `_id` and
 * unique indexes served from maps), FerretDB on PostgreSQL with `LOCAL_MONGO_SERVER=ferretdb`.
 * Either one started by these scripts is recognised as ours, so switching restarts it in place.
 */
const CHOICES = { 'mongo-java-server': mongoJavaServer, ferretdb } as const;

function selected(): LocalService {
  const choice = process.env.LOCAL_MONGO_SERVER ?? 'mongo-java-server';
  const service = CHOICES[choice as keyof typeof CHOICES];
  if (!service) throw new InfraError(`LOCAL_MONGO_SERVER=${choice} is not a server these scripts run`, `use one of: ${Object.keys(CHOICES).join(', ')}`);
  return service;
}

const chosen = selected();

export const mongo: LocalService = {
  ...chosen,
  isOurs: (argv) => isMongoJavaServer(argv) || isFerretDb(argv),
  isCurrent: (argv) => chosen.isOurs(argv) && (chosen.isCurrent?.(argv) ?? true),
};
