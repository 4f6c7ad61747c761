import { ArgumentsHost, Catch, Controller, RpcExceptionFilter, UseFilters, applyDecorators } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';

/**
 * Nest's default RPC exception filter replaces every unknown error with "Internal server error",
 * which would hide the cause from the retry policy and the dead-letter headers. This filter hands
 * the original error back to the transport unchanged.
 */
@Catch()
export class PassThroughRpcErrorFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

/** A controller whose `@EventPattern` handlers are driven by the DurableKafkaConsumer. */
export function KafkaConsumerController(): ClassDecorator {
  return applyDecorators(Controller(), UseFilters(PassThroughRpcErrorFilter));
}
