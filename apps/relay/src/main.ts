import 'reflect-metadata';
import { startApp } from '@libs/runtime';
import { loadRelayConfig } from './relay.config';
import { RelayModule } from './relay.module';

async function main(): Promise<void> {
  const config = loadRelayConfig();
  await startApp(RelayModule.forRoot(config), { config, consume: true });
}

void main();
