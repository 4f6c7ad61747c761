import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { APP_CONFIG } from '@libs/config';
import { GraphqlAuthGuard } from './auth/graphql-auth.guard';
import { GraphqlExceptionFilter } from './errors/graphql-exception.filter';
import { createGraphqlOptions } from './graphql-api.options';
import { GraphiqlAssetsController } from './playground/graphiql-assets.controller';
import { GatewayApolloDriver } from './transport/gateway-apollo.driver';
import { GraphqlValidationPipe } from './validation/graphql-validation.pipe';

/**
 * The GraphQL API foundation: one schema built from every @Resolver() provider of the app,
 * authentication (GraphqlAuthGuard, global), argument validation (GraphqlValidationPipe, global,
 * GraphQL inputs only), error mapping (GraphqlExceptionFilter + formatGraphqlError), limits and
 * the offline playground.
 *
 * Features add to the schema by importing their own module with resolver providers next to
 * this one in GatewayModule (see AccountsApiModule).
 */
@Module({})
export class GraphqlApiModule {
  static forRoot(): DynamicModule {
    return {
      module: GraphqlApiModule,
      imports: [
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: GatewayApolloDriver,
          inject: [APP_CONFIG, GraphQLSchemaHost],
          useFactory: createGraphqlOptions,
        }),
      ],
      controllers: [GraphiqlAssetsController],
      providers: [
        { provide: APP_GUARD, useClass: GraphqlAuthGuard },
        { provide: APP_PIPE, useClass: GraphqlValidationPipe },
        { provide: APP_FILTER, useClass: GraphqlExceptionFilter },
      ],
    };
  }
}
