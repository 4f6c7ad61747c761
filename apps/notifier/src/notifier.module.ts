import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@libs/runtime';
import { NotifierConfig } from './notifier.config';

export const NOTIFIER_CONSUMER_GROUP = 'notifier';

/** Delivers conversation events to participants. Exposes health and metrics over HTTP. */
@Module({})
export class NotifierModule {
  static forRoot(config: NotifierConfig): DynamicModule {
    return {
      module: NotifierModule,
      imports: [PlatformModule.forRoot({ config, consumerGroupId: NOTIFIER_CONSUMER_GROUP })],
    };
  }
}
