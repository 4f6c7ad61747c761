import { DynamicModule, InjectionToken, Module, OnModuleInit } from '@nestjs/common';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { HealthRegistry } from '@libs/observability';

export interface PersistenceConfig {
  MONGO_URL: string;
}

class MongoHealth implements OnModuleInit {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health.register('mongo', async () => {
      const db = this.connection.db;
      if (!db) throw new Error('MongoDB connection is not open');
      await db.admin().command({ ping: 1 });
    });
  }
}

/**
 * MongoDB through @nestjs/mongoose. The driver reconnects by itself when the server comes back;
 * short selection timeouts make an outage visible quickly instead of queueing work for 30 s.
 */
@Module({})
export class PersistenceModule {
  static forRootAsync(options: { inject: InjectionToken[]; useFactory: (...args: any[]) => PersistenceConfig }): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        MongooseModule.forRootAsync({
          inject: options.inject,
          useFactory: (...args: unknown[]) => ({
            uri: options.useFactory(...args).MONGO_URL,
            serverSelectionTimeoutMS: 5_000,
            connectTimeoutMS: 5_000,
            heartbeatFrequencyMS: 2_000,
            // Writes are acknowledged by a majority before we tell anyone they are durable.
            writeConcern: { w: 'majority', journal: true },
            retryWrites: true,
            autoIndex: true,
          }),
        }),
      ],
      providers: [MongoHealth],
      exports: [MongooseModule],
    };
  }
}
