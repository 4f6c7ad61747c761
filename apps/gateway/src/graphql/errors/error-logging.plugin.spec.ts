import { HeaderMap } from '@apollo/server';
import { Logger } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { DomainError, ErrorCategory } from '@libs/contracts';
import { errorLoggingPlugin } from './error-logging.plugin';

async function listener() {
  const plugin = errorLoggingPlugin();
  return (await plugin.requestDidStart!({} as never))!;
}

describe('errorLoggingPlugin', () => {
  let errorLog: jest.SpyInstance;
  let warnLog: jest.SpyInstance;

  beforeEach(() => {
    errorLog = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    warnLog = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('logs an unexpected error in full, with the request id; a caller mistake not at all', async () => {
    const hooks = await listener();
    const internal = new GraphQLError('boom', { path: ['me'], originalError: new TypeError('db record is corrupt') });
    const mistake = new GraphQLError('bad', { originalError: new DomainError('INVALID_EMAIL', ErrorCategory.Invalid, 'bad') });
    await hooks.didEncounterErrors!({ errors: [internal, mistake], contextValue: { requestId: 'req-9' }, operationName: 'Me' } as never);
    expect(errorLog).toHaveBeenCalledTimes(1);
    expect(errorLog.mock.calls[0][0]).toMatchObject({ requestId: 'req-9', operationName: 'Me', path: 'me', err: expect.any(TypeError) });
    expect(warnLog).not.toHaveBeenCalled();
  });

  it('logs an unavailable dependency as a warning', async () => {
    const hooks = await listener();
    const outage = new GraphQLError('x', { originalError: new DomainError('IDENTITY_UNAVAILABLE', ErrorCategory.Unavailable, 'down') });
    await hooks.didEncounterErrors!({ errors: [outage], contextValue: { requestId: 'req-1' } } as never);
    expect(warnLog).toHaveBeenCalledWith(expect.objectContaining({ requestId: 'req-1', code: 'IDENTITY_UNAVAILABLE' }), expect.any(String));
  });

  it('echoes the request id in a header and on internal errors only', async () => {
    const hooks = await listener();
    const response = {
      http: { headers: new HeaderMap() },
      body: {
        kind: 'single',
        singleResult: {
          errors: [
            { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
            { message: 'No.', extensions: { code: 'FORBIDDEN' } },
          ],
        },
      },
    };
    await hooks.willSendResponse!({ response, contextValue: { requestId: 'req-7' } } as never);
    expect(response.http.headers.get('x-request-id')).toBe('req-7');
    expect(response.body.singleResult.errors.map((e) => e.extensions)).toEqual([
      { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-7' },
      { code: 'FORBIDDEN' },
    ]);
  });
});
