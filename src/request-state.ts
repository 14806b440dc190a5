import type { JambonzAuthContext } from './jambonz-auth-context.decorator.js';
import type { JambonzRoutePolicy } from './jambonz-route.policy.js';
import type { CapturedBody } from './raw-body.check.js';

// What the module remembers about a request. Every copy of the package in the process finds it
// under the same `Symbol.for` keys: an ESM app that also loads the CommonJS build (the dual-package
// hazard) authenticates with one copy's guard and reads the context with the other copy's
// decorator. Each key names the shape of what it holds: a copy of another version that shapes it
// otherwise uses its own key, instead of finding something it cannot read.

/** The request property holding an {@link Admission}. */
const ADMISSION = Symbol.for('nestjs-jambonz-auth:admission:1');

/** Where the shared table of captured bodies is registered on `globalThis`. */
const CAPTURED_BODIES = Symbol.for('nestjs-jambonz-auth:captured-bodies:1');

/**
 * Why the guard let a request through. Kept on the request as a property. A `WeakMap` beside
 * the request costs fewer instructions on Express (whose requests take V8's slow path for every
 * property added), but more CPU time on both platforms, measured side by side over HTTP (`npm run bench`).
 */
export class Admission {
  /** Private, so that logging the request never prints the policy's secrets. */
  readonly #policy: JambonzRoutePolicy;

  /**
   * @param context what authenticated the request (`getJambonzAuthContext`).
   * @param policy the route policy it passed.
   */
  constructor(
    readonly context: JambonzAuthContext,
    policy: JambonzRoutePolicy,
  ) {
    this.#policy = policy;
  }

  /**
   * Whether the request was let through under `policy`. The guard bound a second time on the
   * same route (the decorator on the class and on the method) lets it through again, but a route
   * it is handed on to (a handler that calls `next()`) checks it against its own policy.
   */
  isUnder(policy: JambonzRoutePolicy): boolean {
    return this.#policy === policy;
  }
}

type Carrier = { [ADMISSION]?: Admission } | null | undefined;

/** The admission the guard recorded on `request`, if any; `undefined` for anything else. */
export function admissionOf(request: unknown): Admission | undefined {
  return (request as Carrier)?.[ADMISSION];
}

/** Records that the guard let `request` through. */
export function recordAdmission(request: object, admission: Admission): void {
  (request as { [ADMISSION]?: Admission })[ADMISSION] = admission;
}

const registry = globalThis as { [CAPTURED_BODIES]?: WeakMap<object, CapturedBody> };

/**
 * The exact body bytes the Fastify capture hook copied, per signed request (`RawBodyCheck`). Kept
 * beside the request: the guard looks for one on every request, and on Express looking up a
 * property a request lacks takes V8's slow path, where a `WeakMap` miss is cheap.
 */
export const capturedBodies: WeakMap<object, CapturedBody> = (registry[CAPTURED_BODIES] ??= new WeakMap());
