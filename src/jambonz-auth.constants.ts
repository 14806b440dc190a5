/*
 * Tokens and metadata keys are strings or registered symbols, never `Symbol()` or classes, so
 * that the ESM and CommonJS builds of this package agree on them when both load in one process.
 */

/** DI token of the options given to `forRoot` / returned by the `forRootAsync` factory. */
export const JAMBONZ_AUTH_MODULE_OPTIONS = 'nestjs-jambonz-auth:module-options';

/** DI token of the validated configuration (`JambonzAuthConfig`) the guard uses. */
export const JAMBONZ_AUTH_CONFIG = 'nestjs-jambonz-auth:config';

/** DI token of every route's policy (`JambonzRoutePolicies`), which the guard looks routes up in. */
export const JAMBONZ_ROUTE_POLICIES = 'nestjs-jambonz-auth:route-policies';

/** DI token of OpenTelemetry's global meter provider, loaded at bootstrap for `metrics: true` only (else `undefined`). */
export const JAMBONZ_GLOBAL_METER_PROVIDER = 'nestjs-jambonz-auth:global-meter-provider';

/** Metadata key under which `@JambonzWebhook()` stores its per-route options. */
export const JAMBONZ_WEBHOOK_OPTIONS = 'nestjs-jambonz-auth:webhook-options';

/** Name of jambonz's signature header, lower-cased as Node delivers it. */
export const SIGNATURE_HEADER = 'jambonz-signature';

/**
 * The only statuses jambonz treats as a successful webhook (feature server
 * `lib/utils/http-requestor.js`); anything else, Nest's 201 for POST included, fails the call.
 */
export const JAMBONZ_SUCCESS_STATUSES: readonly number[] = Object.freeze([200, 202, 204]);

/**
 * Metadata keys of `@nestjs/common` this package reads (`METHOD_METADATA`, `PATH_METADATA`,
 * `HTTP_CODE_METADATA`: what `@Post()`, `@Controller()` and `@HttpCode()` set). Nest exports them
 * only from a deep path; their values have not changed since Nest 5.
 */
export const NEST_METADATA = Object.freeze({ method: 'method', path: 'path', httpCode: '__httpCode__' });

/**
 * The name of the set that `secret` and `basicAuth` form, for routes and gateways that name it
 * explicitly (`@JambonzWebhook({ credentials: 'default' })`); reserved in `namedSecrets` and
 * `namedCredentials`.
 */
export const DEFAULT_SET = 'default';
