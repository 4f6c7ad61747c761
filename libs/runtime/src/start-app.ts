import { INestApplication, Type, DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '@libs/config';
import { DurableKafkaConsumer } from '@libs/kafka';

export interface StartAppOptions {
  config: AppConfig<'http'>;
  /** Connect the app's DurableKafkaConsumer (relay, notifier). */
  consume?: boolean;
  configure?: (app: INestApplication) => void | Promise<void>;
  /** Keep each request's raw bytes in `req.rawBody` (signed webhooks verify them). */
  rawBody?: boolean;
}

/**
 * Boots one app: structured logger, graceful shutdown (SIGTERM drains the HTTP server and
 * commits consumed offsets), the Kafka consumer when the app has one, then the HTTP port.
 */
export async function createApp(module: Type | DynamicModule, options: StartAppOptions): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: true, rawBody: options.rawBody ?? false });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await options.configure?.(app);
  if (options.consume) app.connectMicroservice({ strategy: app.get(DurableKafkaConsumer) });
  await app.init();
  await app.startAllMicroservices();
  await app.listen(options.config.PORT, options.config.HOST);
  return app;
}

export async function startApp(module: Type | DynamicModule, options: StartAppOptions): Promise<INestApplication> {
  try {
    return await createApp(module, options);
  } catch (error) {
    process.stderr.write(`[${options.config.SERVICE_NAME}] failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
