import type { JambonzAuthContext } from './jambonz-auth-context.decorator.js';
import type { CapturedBody } from './raw-body.check.js';

/**
 * What the module remembers about a request, kept beside it rather than on it. Express 5 resets
 * the prototype of every request, so adding a property to one, or looking up one it lacks, takes
 * V8's slow path: on Express that was the guard's costliest step after the HMAC (a callgrind
 * profile of `npm run bench:instructions` shows it). A WeakMap costs a fraction of it on both
 * platforms, and lets go of an entry with its request.
 */
interface RequestState {
  /** The auth context of each request the guard let through (`getJambonzAuthContext`). */
  readonly authContexts: WeakMap<object, JambonzAuthContext>;
  /** The exact body bytes the Fastify capture hook copied, per signed request (`RawBodyCheck`). */
  readonly capturedBodies: WeakMap<object, CapturedBody>;
}

/**
 * Shared by every copy of the package in the process: an ESM app that also loads the CommonJS
 * build (the dual-package hazard) authenticates with one copy's guard and reads the context with
 * the other copy's decorator.
 */
const KEY = Symbol.for('nestjs-jambonz-auth:request-state');

const registry = globalThis as { [KEY]?: RequestState };

/** The module's per-request state: one table per kind, for every copy of the package. */
export const requestState: RequestState = (registry[KEY] ??= { authContexts: new WeakMap(), capturedBodies: new WeakMap() });
