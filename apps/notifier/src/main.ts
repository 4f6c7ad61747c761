import 'reflect-metadata';
import { startApp } from '@libs/runtime';
import { loadNotifierConfig } from './notifier.config';
import { NotifierModule } from './notifier.module';

async function main(): Promise<void> {
  const config = loadNotifierConfig();
  await startApp(NotifierModule.forRoot(config), { config, consume: true });
}

void main();
