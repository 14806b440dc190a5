import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Observable } from 'rxjs';

/**
 * Runs after the guard, on authenticated webhook requests only. It turns Nest's default 201 for
 * POST into 200: jambonz treats only 200, 202 and 204 as success, so a 201 fails the call.
 * `@HttpCode()` cannot do this where `@JambonzWebhook()` sits on a class; an interceptor can,
 * because Nest sets the route's status after the guards and before the interceptors. A status
 * the route chose itself (`@HttpCode(204)`, say) is kept. Bound by `@JambonzWebhook()`.
 */
@Injectable()
export class JambonzWebhookInterceptor implements NestInterceptor {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<{ statusCode?: number }>();
    if (response.statusCode === 201) {
      this.adapterHost.httpAdapter.status(response, 200);
    }
    return next.handle();
  }
}
