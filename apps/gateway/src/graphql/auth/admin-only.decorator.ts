import { SetMetadata } from '@nestjs/common';

export const ADMIN_ONLY = 'graphql:admin-only';

/** The resolver (method or class) needs the `admin` role; enforced by GraphqlAuthGuard. */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(ADMIN_ONLY, true);
