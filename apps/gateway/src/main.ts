import 'reflect-metadata';
import { startApp } from '@libs/runtime';
import { loadGatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  await startApp(GatewayModule.forRoot(config), { config, rawBody: true });
}

void main();
