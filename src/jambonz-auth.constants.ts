/*
 * Tokens and metadata keys are strings or registered symbols, never `Symbol()` or classes, so
 * that the ESM and CommonJS builds of this package agree on them when both load in one process.
 */

/** DI token of the options given to `forRoot` / returned by the `forRootAsync` factory. */
export const JAMBONZ_AUTH_MODULE_OPTIONS = 'nestjs-jambonz-auth:module-options';

/** DI token of the validated, normalised configuration the guard uses. */
export const JAMBONZ_AUTH_CONFIG = 'nestjs-jambonz-auth:config';

/** Metadata key under which `@JambonzWebhook()` stores its per-route options. */
export const JAMBONZ_WEBHOOK_OPTIONS = 'nestjs-jambonz-auth:webhook-options';

/** Request property that holds the {@link JambonzAuthContext} of an authenticated request. */
export const JAMBONZ_AUTH_CONTEXT = Symbol.for('nestjs-jambonz-auth:context');

/** Name of jambonz's signature header, lower-cased as Node delivers it. */
export const SIGNATURE_HEADER = 'jambonz-signature';

/** Default `realm` of the `WWW-Authenticate: Basic` challenge. */
export const DEFAULT_REALM = 'jambonz';

/** Default cap on a body the module reads from the request stream itself, in bytes (1 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The webhook secret that jambonz's open-source seed database ships with (the default account
 * created by jambonz-api-server's database seed). Any jambonz installation that never changed it
 * signs with a value everyone knows, so the module refuses it unless `allowWellKnownSecret` is set.
 */
export const WELL_KNOWN_JAMBONZ_SECRET = 'wh_secret_cJqgtMDPzDhhnjmaJH6Mtk';
