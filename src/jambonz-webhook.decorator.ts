import { applyDecorators, SetMetadata, UseGuards, UseInterceptors, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { JambonzAuthGuard } from './jambonz-auth.guard.js';
import { JAMBONZ_WEBHOOK_OPTIONS } from './jambonz-auth.constants.js';
import type { JambonzWebhookOptions } from './jambonz-auth-options.interface.js';
import { validateWebhookOptions } from './jambonz-auth-options.validator.js';
import { JambonzWebhookInterceptor } from './jambonz-webhook.interceptor.js';

/**
 * Marks a route, or every route of a controller, as a jambonz webhook (call hook, call status
 * hook, action hook...). In one step, so that a route cannot be left half-protected, it:
 * - binds {@link JambonzAuthGuard}: only requests that prove they come from jambonz get through;
 * - binds {@link JambonzWebhookInterceptor}: a POST answers 200, not Nest's 201, which jambonz
 *   counts as a failed webhook;
 * - stores `options` for the route; a method's options override its class's, field by field,
 *   and both override the module's.
 *
 * ```ts
 * @Controller('jambonz')
 * @JambonzWebhook()
 * export class CallController {
 *   @Post('call') onCall(@Body() call: CallHookPayload) { return [{ verb: 'say', text: 'Hello' }]; }
 *   @Post('status') @JambonzWebhook({ require: 'signature' }) onStatus() {}
 * }
 * ```
 *
 * `JambonzAuthModule` must be imported by the controller's module, or registered with
 * `isGlobal: true`.
 *
 * @throws JambonzAuthConfigError when the class is declared, for an unknown option or a value
 *   of the wrong type or range. Whether the module has material for the route's checks is
 *   checked at bootstrap.
 */
export function JambonzWebhook(options?: JambonzWebhookOptions): ClassDecorator & MethodDecorator {
  return <T>(target: object, key?: string | symbol, descriptor?: TypedPropertyDescriptor<T>) => {
    const where = key === undefined ? (target as { name: string }).name : `${target.constructor.name}.${String(key)}`;
    const valid = validateWebhookOptions(options, `@JambonzWebhook() on ${where}`);
    applyDecorators(
      SetMetadata(JAMBONZ_WEBHOOK_OPTIONS, valid),
      UseGuards(JambonzAuthGuard),
      UseInterceptors(JambonzWebhookInterceptor),
    )(target, key as string | symbol, descriptor as TypedPropertyDescriptor<T>);
  };
}

/**
 * True when the route `context` is about to run is marked with `@JambonzWebhook()`, on its method
 * or its class. For an app's own global guards: a global JWT or session guard can let jambonz's
 * routes through to the jambonz guard instead of refusing them.
 *
 * ```ts
 * canActivate(context: ExecutionContext) {
 *   if (isJambonzWebhook(this.reflector, context)) return true; // JambonzAuthGuard decides
 *   return this.checkJwt(context);
 * }
 * ```
 */
export function isJambonzWebhook(reflector: Reflector, context: ExecutionContext): boolean {
  return reflector.getAllAndOverride(JAMBONZ_WEBHOOK_OPTIONS, [context.getHandler(), context.getClass()]) !== undefined;
}
