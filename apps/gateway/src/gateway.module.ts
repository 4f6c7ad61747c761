import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@libs/runtime';
import { GatewayConfig } from './gateway.config';

/** HTTP edge: GraphQL API, inbound email ingresses, health and metrics. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [PlatformModule.forRoot({ config, blobStore: true })],
    };
  }
}
