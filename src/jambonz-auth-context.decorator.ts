import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { RequestBodySource } from './request-body.reader.js';
import { admissionOf } from './request-state.js';

/**
 * What authenticated a webhook request. Set by the guard before the handler runs. Names sets
 * and positions, never a secret or a password.
 */
export interface JambonzAuthContext {
  /** The checks that passed: `both` when the signature and Basic credentials were both verified. */
  readonly verifiedBy: 'signature' | 'basic' | 'both';
  /** `t` of the verified signature, in Unix seconds; `undefined` without a signature check. */
  readonly timestamp: number | undefined;
  /** The secret set whose secret verified the signature (`'default'` for `secret` or the resolver). */
  readonly secretSet: string | undefined;
  /** The position of that secret in its set (0 for the first; 1 and up during a rotation). */
  readonly secretIndex: number | undefined;
  /** The Basic username that matched; `undefined` without a Basic check. */
  readonly username: string | undefined;
  /** The credential set that matched (`'default'` for `basicAuth`). */
  readonly credentialSet: string | undefined;
  /** The position of the matching pair in its set (0 for the first). */
  readonly credentialIndex: number | undefined;
  /** `account_sid` from the authenticated body, when it has one. */
  readonly accountSid: string | undefined;
  /** Where the verified body bytes came from; `undefined` without a signature check. */
  readonly bodySource: RequestBodySource | undefined;
}

/**
 * The {@link JambonzAuthContext} of a request that `@JambonzWebhook()` authenticated, or
 * `undefined` for any other request.
 *
 * @param request the Express or Fastify request.
 */
export function getJambonzAuthContext(request: unknown): JambonzAuthContext | undefined {
  return admissionOf(request)?.context;
}

/**
 * Parameter decorator that injects the request's {@link JambonzAuthContext} into a handler of a
 * `@JambonzWebhook()` route:
 *
 * ```ts
 * @Post('call') @JambonzWebhook()
 * onCall(@Body() call: CallHookPayload, @JambonzAuth() auth: JambonzAuthContext) {}
 * ```
 *
 * Gives `undefined` on a route the guard does not protect.
 */
export const JambonzAuth = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  getJambonzAuthContext(context.switchToHttp().getRequest()),
);
