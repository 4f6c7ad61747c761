import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@libs/runtime';
import { RelayConfig } from './relay.config';

export const RELAY_CONSUMER_GROUP = 'relay';

/** Turns inbound emails into conversation messages. Exposes health and metrics over HTTP. */
@Module({})
export class RelayModule {
  static forRoot(config: RelayConfig): DynamicModule {
    return {
      module: RelayModule,
      imports: [PlatformModule.forRoot({ config, blobStore: true, consumerGroupId: RELAY_CONSUMER_GROUP })],
    };
  }
}
