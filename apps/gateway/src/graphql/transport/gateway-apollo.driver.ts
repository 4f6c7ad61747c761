import { ApolloServer, BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ExpressContextFunctionArgument, expressMiddleware } from '@as-integrations/express5';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Injectable } from '@nestjs/common';
import { GraphqlLimits } from '../graphql-api.constants';
import { bodyParserErrors, bodySizeLimit } from './apollo-express.middleware';

interface ExpressApp {
  use(path: string, ...handlers: unknown[]): void;
}

/**
 * The Apollo driver of @nestjs/apollo, mounted on Express by Apollo's Express 5 integration with
 * the request-body limit in front of it and GraphQL-shaped answers for unparseable bodies.
 * Schema building, subscriptions over graphql-ws and everything else stay Nest's.
 */
@Injectable()
export class GatewayApolloDriver extends ApolloDriver {
  protected override async registerExpress(options: ApolloDriverConfig, hooks: { preStartHook?: () => void } = {}): Promise<void> {
    const httpAdapter = this.httpAdapterHost.httpAdapter;
    const app = httpAdapter.getInstance<ExpressApp>();
    const path = options.path ?? '/graphql';

    hooks.preStartHook?.();
    const server = new ApolloServer<BaseContext>({
      ...(options as object),
      schema: options.schema!,
      plugins: [...(options.plugins ?? []), ApolloServerPluginDrainHttpServer({ httpServer: httpAdapter.getHttpServer() })],
    } as ConstructorParameters<typeof ApolloServer<BaseContext>>[0]);
    await server.start();

    app.use(
      path,
      bodySizeLimit(GraphqlLimits.maxBodyBytes),
      expressMiddleware(server, { context: options.context as (args: ExpressContextFunctionArgument) => Promise<BaseContext> }),
      bodyParserErrors(GraphqlLimits.maxBodyBytes),
    );
    this.apolloServer = server;
  }
}
