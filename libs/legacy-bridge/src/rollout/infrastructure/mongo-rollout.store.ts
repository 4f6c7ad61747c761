import { Injectable, Logger } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { ROLLOUTS_COLLECTION, RolloutCollectionStore, RolloutDocument } from './rollout-collection.store';

/** RolloutCollectionStore on the app's mongoose connection (PersistenceModule). */
@Injectable()
export class MongoRolloutStore extends RolloutCollectionStore {
  constructor(@InjectConnection() connection: Connection) {
    const logger = new Logger(MongoRolloutStore.name);
    super(connection.collection<RolloutDocument>(ROLLOUTS_COLLECTION), (message) => logger.warn(message));
  }
}
