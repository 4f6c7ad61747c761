import { BadRequestException, ForbiddenException, InternalServerErrorException } from '@nestjs/common';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { DomainError, ErrorCategory } from '@libs/contracts';
import { formatGraphqlError, INTERNAL_ERROR_MESSAGE } from './graphql-error.mapping';

/** What graphql-js does to an error thrown in a resolver. */
function fromResolver(error: Error): GraphQLError {
  return new GraphQLError(error.message, { path: ['field'], originalError: error });
}

function format(error: GraphQLError): GraphQLFormattedError {
  const formatted = { ...error.toJSON(), extensions: { code: error.extensions.code ?? 'INTERNAL_SERVER_ERROR', ...error.extensions, stacktrace: ['at secret (/srv/app.js:1:1)'] } };
  return formatGraphqlError(formatted, error);
}

describe('formatGraphqlError', () => {
  it.each([
    [ErrorCategory.NotFound, 'NOT_FOUND'],
    [ErrorCategory.Invalid, 'BAD_USER_INPUT'],
    [ErrorCategory.Unauthenticated, 'UNAUTHENTICATED'],
    [ErrorCategory.Forbidden, 'FORBIDDEN'],
    [ErrorCategory.Conflict, 'CONFLICT'],
    [ErrorCategory.Unavailable, 'SERVICE_UNAVAILABLE'],
  ])('maps a DomainError of category %s to %s with its safe message and its code as reason', (category, code) => {
    const formatted = format(fromResolver(new DomainError('SOME_CODE', category, 'Safe message.')));
    expect(formatted).toEqual({ message: 'Safe message.', path: ['field'], extensions: { code, reason: 'SOME_CODE' } });
  });

  it('finds a DomainError under several wrappers', () => {
    const inner = new DomainError('DEEP', ErrorCategory.Conflict, 'Deep.');
    const wrapped = new GraphQLError('outer', { originalError: new GraphQLError('middle', { originalError: inner }) });
    expect(format(wrapped).extensions).toEqual({ code: 'CONFLICT', reason: 'DEEP' });
  });

  it('hides anything unexpected behind "Internal server error", without a stack', () => {
    const formatted = format(fromResolver(new TypeError("Cannot read properties of undefined (reading 'password') at /srv/db.js")));
    expect(formatted).toEqual({ message: INTERNAL_ERROR_MESSAGE, path: ['field'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('hides graphql-js execution errors about our own data', () => {
    const formatted = format(new GraphQLError('Cannot return null for non-nullable field Account.email.', { path: ['me', 'email'] }));
    expect(formatted.message).toBe(INTERNAL_ERROR_MESSAGE);
  });

  it('hides a resolver GraphQLError that claims to be internal', () => {
    const thrown = new GraphQLError('connection string mongodb://user:pw@db', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(format(fromResolver(thrown)).message).toBe(INTERNAL_ERROR_MESSAGE);
  });

  it('keeps Apollo codes and messages for errors about the request', () => {
    for (const code of ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'PERSISTED_QUERY_NOT_FOUND']) {
      const apolloError = new GraphQLError('About your query.', { extensions: { code }, originalError: new GraphQLError('About your query.') });
      expect(format(apolloError)).toEqual({ message: 'About your query.', extensions: { code } });
    }
  });

  it('maps Nest HTTP exceptions thrown by pipes or guards', () => {
    expect(format(fromResolver(new BadRequestException('Validation failed (numeric string is expected)'))).extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(format(fromResolver(new ForbiddenException())).extensions).toEqual({ code: 'FORBIDDEN' });
    expect(format(fromResolver(new InternalServerErrorException('db down'))).message).toBe(INTERNAL_ERROR_MESSAGE);
  });

  it('never passes a stack trace on', () => {
    for (const error of [fromResolver(new Error('x')), fromResolver(new DomainError('A', ErrorCategory.Invalid, 'a')), new GraphQLError('q', { extensions: { code: 'BAD_USER_INPUT' } })]) {
      expect(JSON.stringify(format(error))).not.toMatch(/stacktrace|secret/);
    }
  });
});
