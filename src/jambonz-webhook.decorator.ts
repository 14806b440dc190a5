import { HttpCode, SetMetadata, UseGuards, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { JambonzAuthGuard } from './jambonz-auth.guard.js';
import { JAMBONZ_WEBHOOK_OPTIONS, NEST_METADATA } from './jambonz-auth.constants.js';
import type { JambonzWebhookOptions } from './jambonz-auth-options.interface.js';
import { validateWebhookOptions } from './jambonz-auth-options.rules.js';

/**
 * Marks a route, or every route of a controller, as a jambonz webhook (call hook, call status
 * hook, action hook...). In one step, so that a route cannot be left half-protected, it:
 * - binds {@link JambonzAuthGuard}: only requests that prove they come from jambonz get through;
 * - makes the route answer 200 rather than Nest's 201 for POST, which jambonz counts as a failed
 *   webhook (jambonz treats only 200, 202 and 204 as success). A status the route sets itself
 *   with `@HttpCode()` is kept. On a class, every route of the class, inherited ones included,
 *   gets the 200, as `@HttpCode(200)` on each would. An inherited handler is one function for every
 *   class that inherits it: a base class that is itself a controller answers 200 there too.
 * - stores `options` for the route; a method's options override its class's, field by field,
 *   and both override the module's.
 *
 * ```ts
 * @Controller('jambonz')
 * @JambonzWebhook()
 * export class CallController {
 *   @Post('call') onCall(@Body() call: CallHookPayload) { return [{ verb: 'say', text: 'Hello' }]; }
 *   @Post('status') @JambonzWebhook({ credentials: 'status' }) onStatus() {}
 * }
 * ```
 *
 * Options carry names and policy, never secrets: arguments of a decorator are evaluated when
 * the file is imported, before `ConfigModule` loads `.env`. `JambonzAuthModule` must be
 * imported by the controller's module, or registered with `isGlobal: true`.
 *
 * @throws JambonzAuthConfigError when the class is declared, for an unknown option (`basicAuth`
 *   included, with what to do instead), an option whose value is `undefined`, or a value of the
 *   wrong type or range. Whether the module has the named sets and material for the route's
 *   checks is checked at bootstrap.
 */
export function JambonzWebhook(options?: JambonzWebhookOptions): ClassDecorator & MethodDecorator {
  return <T>(target: object, key?: string | symbol, descriptor?: TypedPropertyDescriptor<T>) => {
    const where = key === undefined ? (target as { name: string }).name : `${target.constructor.name}.${String(key)}`;
    const valid = validateWebhookOptions(options, `@JambonzWebhook() on ${where}`);
    SetMetadata(JAMBONZ_WEBHOOK_OPTIONS, valid)(target, key as string | symbol, descriptor as TypedPropertyDescriptor<T>);
    UseGuards(JambonzAuthGuard)(target, key as string | symbol, descriptor as TypedPropertyDescriptor<T>);
    if (descriptor !== undefined) {
      answer200(descriptor.value);
    } else {
      for (const handler of routeHandlers((target as { prototype: object }).prototype)) answer200(handler);
    }
  };
}

/**
 * Sets the route's status to 200 unless `@HttpCode()` chose one. Nest reads it once, when it
 * registers the route, so it costs nothing per request (an interceptor would).
 */
function answer200(handler: unknown): void {
  if (typeof handler === 'function' && Reflect.getMetadata(NEST_METADATA.httpCode, handler) === undefined) {
    HttpCode(200)(handler, handler.name, { value: handler });
  }
}

/** The route handlers of a controller's prototype and the prototypes it inherits from. */
function routeHandlers(prototype: object | null): Set<unknown> {
  const handlers = new Set<unknown>();
  for (let proto = prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const value = Object.getOwnPropertyDescriptor(proto, name)?.value;
      if (name !== 'constructor' && typeof value === 'function' && Reflect.hasMetadata(NEST_METADATA.path, value))
        handlers.add(value);
    }
  }
  return handlers;
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
