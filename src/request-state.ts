import type { JambonzAuthContext } from './jambonz-auth-context.decorator.js';
import type { JambonzRoutePolicy } from './jambonz-route.policy.js';
import type { CapturedBody } from './raw-body.check.js';

/**
 * What the module remembers about a request, kept beside it rather than on it. Express 5 resets
 * the prototype of every request, so adding a property to one, or looking up one it lacks, takes
 * V8's slow path: on Express that was the guard's costliest step after the HMAC (a callgrind
 * profile of `npm run bench:instructions` shows it). A WeakMap costs a fraction of it on both
 * platforms, and lets go of an entry with its request.
 */
interface RequestState {
  /** Each request the guard let through: how, and under which route's policy. */
  readonly admitted: WeakMap<object, Admission>;
  /** The exact body bytes the Fastify capture hook copied, per signed request (`RawBodyCheck`). */
  readonly capturedBodies: WeakMap<object, CapturedBody>;
}

/** Why the guard let a request through. */
interface Admission {
  /** What authenticated it (`getJambonzAuthContext`). */
  readonly context: JambonzAuthContext;
  /**
   * The policy it passed: the guard bound a second time on the same route (the decorator on the
   * class and on the method) lets it through again, but a route it is handed on to (a handler
   * that calls `next()`) checks it against its own policy.
   */
  readonly policy: JambonzRoutePolicy;
}

/**
 * Shared by every copy of the package in the process: an ESM app that also loads the CommonJS
 * build (the dual-package hazard) authenticates with one copy's guard and reads the context with
 * the other copy's decorator. The key names the shape of the tables: a copy of another version
 * that shapes them otherwise keeps its own, instead of finding a table it cannot read.
 */
const KEY = Symbol.for('nestjs-jambonz-auth:request-state:1');

const registry = globalThis as { [KEY]?: RequestState };

/** The module's per-request state: one table per kind, for every copy of the package. */
export const requestState: RequestState = (registry[KEY] ??= { admitted: new WeakMap(), capturedBodies: new WeakMap() });
