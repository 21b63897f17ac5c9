import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import type { RequestWithRawBody } from './body-parser';
import { HubError } from './hub-error';

/** Raises the deferred malformed-JSON error once the guards have run. */
@Injectable()
export class BodyParseErrorInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<RequestWithRawBody>();
    if (request.bodyParseError) throw new HubError(400, 'MALFORMED_JSON', request.bodyParseError);
    return next.handle();
  }
}
