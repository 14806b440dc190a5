import { createJambonzAuthConfig, type JambonzAuthConfig } from '../jambonz-auth.config.js';
import { JAMBONZ_AUTH_CONFIG, JAMBONZ_AUTH_MODULE_OPTIONS } from '../jambonz-auth.constants.js';
import type { JambonzAuthModuleOptions } from '../jambonz-auth-options.interface.js';
import { testCredentials, testSecret } from './testing.constants.js';

/** The part of `@nestjs/testing`'s `TestingModuleBuilder` that {@link overrideJambonzAuth} uses. */
export interface JambonzTestingModuleBuilder<T> {
  /** `TestingModuleBuilder.overrideProvider(token)`. */
  overrideProvider(token: unknown): {
    /** Replaces the provider with what `factory` returns, given the `inject`ed providers. */
    useFactory(options: { factory: (...args: never[]) => unknown; inject?: unknown[] }): T;
  };
}

/**
 * Keeps the application's real `JambonzAuthModule` configuration (its `require`, route
 * policies, tolerance, replay protection, everything) and swaps only its secrets and credentials
 * for known test ones, so a test proves the rules production runs:
 *
 * ```ts
 * const moduleRef = await overrideJambonzAuth(Test.createTestingModule({ imports: [AppModule] })).compile();
 * ```
 *
 * - `secret` becomes `TEST_WEBHOOK_SECRET`, each of `namedSecrets` {@link testSecret}(name),
 *   and a `secretResolver` answers `TEST_WEBHOOK_SECRET` for every account;
 * - `basicAuth` becomes {@link testCredentials}(), each of `namedCredentials` testCredentials(name).
 *
 * An option the app leaves out stays out (a secret-only app stays secret-only); one the app sets
 * to a value read from an unset variable gets the test value, so tests need no real secrets. The
 * app's `forRootAsync()` factory still runs: read values with `config.get()` there, or give the
 * test environment placeholders, if it uses `getOrThrow()`.
 *
 * `signWebhook()` and `sendWebhook()` sign with these values by default (`{ credentials: 'status' }`
 * picks a named set). Works with Jest (CommonJS and ESM) and Vitest, on Express and Fastify.
 *
 * @param builder `Test.createTestingModule(...)`, before `compile()`.
 * @returns the same builder, to chain `.compile()` on.
 */
export function overrideJambonzAuth<T>(builder: JambonzTestingModuleBuilder<T>): T {
  return builder.overrideProvider(JAMBONZ_AUTH_CONFIG).useFactory({
    factory: (options: JambonzAuthModuleOptions): JambonzAuthConfig => createJambonzAuthConfig(withTestMaterial(options)),
    inject: [JAMBONZ_AUTH_MODULE_OPTIONS],
  });
}

/** The app's options with every secret and credential replaced by its test value. */
function withTestMaterial(options: JambonzAuthModuleOptions): JambonzAuthModuleOptions {
  const swapped: Record<string, unknown> = { ...options };
  const has = (key: keyof JambonzAuthModuleOptions) => Object.hasOwn(options, key);
  if (has('secret')) swapped.secret = testSecret();
  if (has('secretResolver')) swapped.secretResolver = () => testSecret();
  if (has('basicAuth')) swapped.basicAuth = testCredentials();
  if (options.namedSecrets) swapped.namedSecrets = renamed(options.namedSecrets, testSecret);
  if (options.namedCredentials) swapped.namedCredentials = renamed(options.namedCredentials, testCredentials);
  return swapped as JambonzAuthModuleOptions;
}

function renamed<T>(sets: Readonly<Record<string, unknown>>, value: (name: string) => T): Record<string, T> {
  return Object.fromEntries(Object.keys(sets).map((name) => [name, value(name)]));
}
