import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { catchError, concatWith, defer, finalize, ignoreElements, mergeMap, throwError, type Observable } from 'rxjs';
import { JAMBONZ_AUTH_CONFIG } from './jambonz-auth.constants.js';
import type { JambonzAuthConfig } from './jambonz-auth-options.validator.js';

/**
 * Runs after the guard, on authenticated webhook requests. Bound by `@JambonzWebhook()`.
 *
 * - It turns Nest's default 201 for POST into 200: jambonz treats only 200, 202 and 204 as
 *   success, so a 201 fails the call. `@HttpCode()` cannot do this where `@JambonzWebhook()` sits
 *   on a class; an interceptor can, because Nest sets the route's status after the guards and
 *   before the interceptors. A status the route chose itself (`@HttpCode(204)`) is kept.
 * - With replay protection on, it settles the guard's claim on the signature once the handler
 *   has run: consumed when the handler completed, released when it threw (or the client went
 *   away before it finished), so that jambonz's retry of a failed delivery is accepted.
 */
@Injectable()
export class JambonzWebhookInterceptor implements NestInterceptor {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(JAMBONZ_AUTH_CONFIG) private readonly config: JambonzAuthConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const response = http.getResponse<{ statusCode?: number }>();
    if (response.statusCode === 201) {
      this.adapterHost.httpAdapter.status(response, 200);
    }
    const replay = this.config.replay;
    const claim = replay?.take(http.getRequest<object>());
    if (!replay || !claim) {
      return next.handle();
    }
    let settled = false;
    const settle = (succeeded: boolean) =>
      defer(async () => {
        settled = true;
        await replay.settle(claim, succeeded);
      });
    return next.handle().pipe(
      catchError((error: unknown) => settle(false).pipe(mergeMap(() => throwError(() => error)))),
      concatWith(settle(true).pipe(ignoreElements())),
      finalize(() => {
        if (!settled) void replay.settle(claim, false);
      }),
    );
  }
}
