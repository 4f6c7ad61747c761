import { ArgumentsHost } from '@nestjs/common';
import { DomainError, ErrorCategory } from '@libs/contracts';
import { GraphqlExceptionFilter } from './graphql-exception.filter';

describe('GraphqlExceptionFilter', () => {
  it('hands GraphQL errors back to Apollo untouched (no Nest error log)', () => {
    const filter = new GraphqlExceptionFilter();
    const error = new DomainError('X', ErrorCategory.Forbidden, 'No.');
    expect(filter.catch(error, { getType: () => 'graphql' } as unknown as ArgumentsHost)).toBe(error);
  });

  it("leaves other transports to Nest's default handling", () => {
    const filter = new GraphqlExceptionFilter();
    const base = jest.spyOn(Object.getPrototypeOf(GraphqlExceptionFilter.prototype), 'catch').mockReturnValue(undefined);
    const host = { getType: () => 'http' } as unknown as ArgumentsHost;
    const error = new Error('x');
    filter.catch(error, host);
    expect(base).toHaveBeenCalledWith(error, host);
    base.mockRestore();
  });
});
