import { credentialsProblem, type BasicCredentials } from './core/basic-credentials.js';
import { DEFAULT_TOLERANCE_SECONDS, nowInSeconds } from './core/index.js';
import { isPlaceholder } from './core/placeholder.js';
import { isSignableTimestamp, MAX_SIGNATURE_TIMESTAMP } from './core/signature-header.js';
import { webhookSecretProblem, type WebhookSecretProblem, type WebhookSecretRules } from './core/webhook-secret.js';
import { DEFAULT_SET } from './jambonz-auth.constants.js';
import { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
import { urlPath } from './webhook-request.util.js';
import type {
  JambonzAuthModuleOptions,
  JambonzAuthRequirement,
  JambonzGatewayOptions,
  JambonzSecretResolver,
  JambonzWebhookOptions,
  JambonzWebSocketOptions,
} from './jambonz-auth-options.interface.js';
import type {
  JambonzCredentialUsageOptions,
  JambonzDecisionListener,
  JambonzMeterProvider,
  JambonzMetricsOptions,
} from './observability/observability-options.interface.js';
import type { JambonzReplayOptions } from './replay/replay-options.interface.js';
import type { ReplayStore } from './replay/replay-store.interface.js';
import {
  DEFAULT_MAX_INCOMING_FRAME_BYTES,
  JAMBONZ_MAX_FRAME_BYTES,
  type JambonzEndpointKind,
} from './websocket/jambonz-ws.constants.js';

/*
 * Every option of the module, of its `replay` and `websocket` blocks, of `@JambonzWebhook()` and
 * of `@JambonzGateway()` is declared once
 * below, with its default and its rule, in a table the compiler checks against the option types:
 * an option without a rule (or a rule without an option) does not compile. This file only
 * validates: it returns plain, frozen values; `jambonz-auth.config.ts` builds what runs.
 */

/** Validates a set value; returns it, normalised. Throws `JambonzAuthConfigError` naming `where`. */
type Check<T> = (value: unknown, where: string, options: Readonly<Record<string, unknown>>) => T;

/** One option: its default (`undefined`: stays unset) and the check of a set value. */
interface OptionRule<T, D> {
  readonly default: D;
  readonly check: Check<T>;
}

/** A rule for every option of `O`, and nothing else (with `satisfies`). */
type RulesOf<O> = { readonly [K in keyof Required<O>]: OptionRule<unknown, unknown> };

/** What a table of rules returns: each option's checked value, or its default. */
export type ValidatedOptions<R> = { readonly [K in keyof R]: R[K] extends OptionRule<infer T, infer D> ? T | D : never };

const optional = <T>(check: Check<T>): OptionRule<T, undefined> => ({ default: undefined, check });
const defaulted = <T>(value: T, check: Check<T>): OptionRule<T, T> => ({ default: value, check });

/** The four values of `require`. */
export const REQUIREMENTS: readonly JambonzAuthRequirement[] = ['signature', 'basic', 'either', 'both'];

/** Default `credentialUsage.unusedAfter`, in seconds: a day, longer than any call. */
export const DEFAULT_UNUSED_AFTER_SECONDS = 86_400;

/** Largest tolerance, in seconds: jambonz retries for about 75 s, so an hour is already generous. */
export const MAX_TOLERANCE_SECONDS = 3600;

const WEBSOCKET_RULES = {
  maxIncomingFrameBytes: defaulted(DEFAULT_MAX_INCOMING_FRAME_BYTES, bytes),
  maxOutgoingFrameBytes: defaulted(JAMBONZ_MAX_FRAME_BYTES, bytes),
} satisfies RulesOf<JambonzWebSocketOptions>;

/** The `websocket` block of a module that sets none: every default. */
const WEBSOCKET_DEFAULTS = validateOptions(WEBSOCKET_RULES, {}, 'options.websocket');

const MODULE_RULES = {
  secret: optional((value, where, options) => secretList(value, where, secretRulesOf(options))),
  namedSecrets: optional((value, where, options) =>
    namedSets(value, where, (set, name) => secretList(set, name, secretRulesOf(options))),
  ),
  secretResolver: optional((value, where) => {
    if (typeof value !== 'function') {
      throw new JambonzAuthConfigError(`${where} must be a function (context) => secret(s) (got ${describe(value)}).`);
    }
    return value as JambonzSecretResolver;
  }),
  secretResolverCacheTtl: defaulted(0, seconds({ zero: true })),
  secretResolverTimeout: defaulted(5, seconds({ max: 10, why: 'jambonz waits 10 s for a response' })),
  basicAuth: optional(credentialList),
  namedCredentials: optional((value, where) => namedSets(value, where, credentialList)),
  require: optional(requirement),
  tolerance: defaulted(DEFAULT_TOLERANCE_SECONDS, tolerance),
  allowOptionsRequests: defaulted(true, flag),
  allowReserializedBody: defaulted(false, flag),
  maxBodyBytes: defaulted(1024 * 1024, bytes),
  realm: defaulted('jambonz', (value, where) => {
    // The realm goes inside a quoted-string (RFC 9110 section 11.6.1), in a header Node writes
    // as Latin-1: printable ASCII without quotes or backslashes (a pasted en dash would make
    // every refusal a 500).
    if (typeof value !== 'string' || !/^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/.test(value)) {
      throw new JambonzAuthConfigError(`${where} must be a non-empty string of printable ASCII without quotes or backslashes.`);
    }
    return value;
  }),
  clock: defaulted(nowInSeconds, clock),
  allowWellKnownSecret: defaulted(false, flag),
  allowSecretWhitespace: defaulted(false, flag),
  replay: optional((value, where) => validateReplayOptions(value, where)),
  onDecision: optional((value, where) => {
    if (typeof value !== 'function') {
      throw new JambonzAuthConfigError(`${where} must be a function (decision) => void (got ${describe(value)}).`);
    }
    return value as JambonzDecisionListener;
  }),
  metrics: defaulted<ValidatedMetricsOptions | false>(false, (value, where) => {
    if (typeof value === 'boolean') return value && { meterProvider: undefined };
    return validateOptions(METRICS_RULES, asObject(value, where), where);
  }),
  credentialUsage: optional((value, where): ValidatedCredentialUsageOptions | false => {
    if (typeof value === 'boolean') return value && { unusedAfter: DEFAULT_UNUSED_AFTER_SECONDS };
    return validateOptions(CREDENTIAL_USAGE_RULES, asObject(value, where), where);
  }),
  websocket: defaulted(WEBSOCKET_DEFAULTS, (value, where) => validateOptions(WEBSOCKET_RULES, asObject(value, where), where)),
} satisfies RulesOf<JambonzAuthModuleOptions>;

const METRICS_RULES = {
  meterProvider: optional((value, where) => {
    if (typeof (value as Partial<JambonzMeterProvider> | null)?.getMeter !== 'function') {
      throw new JambonzAuthConfigError(
        `${where} must be an OpenTelemetry MeterProvider (an object with getMeter()), e.g. new MeterProvider({ readers }) ` +
          'of @opentelemetry/sdk-metrics; leave it out for the global one.',
      );
    }
    return value as JambonzMeterProvider;
  }),
} satisfies RulesOf<JambonzMetricsOptions>;

const CREDENTIAL_USAGE_RULES = {
  unusedAfter: defaulted(DEFAULT_UNUSED_AFTER_SECONDS, seconds({})),
} satisfies RulesOf<JambonzCredentialUsageOptions>;

const REPLAY_RULES = {
  store: optional((value, where) => {
    const store = value as Partial<ReplayStore> | null;
    const methods = ['claim', 'renew', 'consume', 'release'] as const;
    if (typeof store !== 'object' || store === null || !methods.every((name) => typeof store[name] === 'function')) {
      throw new JambonzAuthConfigError(
        `${where} must be a replay store (claim, renew, consume, release): new MemoryReplayStore() for one instance, ` +
          'or new RedisReplayStore(redisClient) for several.',
      );
    }
    return store as ReplayStore;
  }),
  ttl: optional(seconds({ max: 86_400 })),
  lease: defaulted(30, seconds({ min: 1, max: 3600 })),
  timeout: defaulted(1, seconds({ max: 10, why: 'jambonz waits 10 s for a response' })),
  onStoreError: defaulted<'reject' | 'allow'>('reject', (value, where) => oneOf(value, where, ['reject', 'allow'] as const)),
} satisfies RulesOf<JambonzReplayOptions>;

const WEBHOOK_RULES = {
  require: optional(requirement),
  tolerance: optional(tolerance),
  credentials: optional(setName),
  secrets: optional(setName),
  allowOptionsRequests: optional(flag),
  replay: optional(flag),
} satisfies RulesOf<JambonzWebhookOptions>;

/** The kinds of jambonz WebSocket endpoint. */
const ENDPOINT_KINDS: readonly JambonzEndpointKind[] = ['api', 'audio'];

const GATEWAY_RULES = {
  path: optional(gatewayPath),
  kind: optional((value, where) => oneOf(value, where, ENDPOINT_KINDS)),
  credentials: optional(setName),
  open: optional(flag),
  port: defaulted(0, (value, where) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
      throw new JambonzAuthConfigError(
        `${where} must be a port number, 1 to 65535, or 0 for the application's own server (got ${describe(value)}).`,
      );
    }
    return value;
  }),
  maxIncomingFrameBytes: optional(bytes),
} satisfies RulesOf<JambonzGatewayOptions>;

/** The module's options, validated, every default filled in. */
export type ValidatedModuleOptions = ValidatedOptions<typeof MODULE_RULES>;
/** The `replay` block, validated, every default filled in. */
export type ValidatedReplayOptions = ValidatedOptions<typeof REPLAY_RULES> & { readonly store: ReplayStore };
/** The `metrics` option, validated (`{}` for `true`: the global meter provider). */
export type ValidatedMetricsOptions = ValidatedOptions<typeof METRICS_RULES>;
/** The `credentialUsage` option, validated (`true` gets the default `unusedAfter`). */
export type ValidatedCredentialUsageOptions = ValidatedOptions<typeof CREDENTIAL_USAGE_RULES>;
/** `@JambonzWebhook()` options, validated (unset ones stay `undefined`). */
export type ValidatedWebhookOptions = ValidatedOptions<typeof WEBHOOK_RULES>;
/** The module's `websocket` block, validated, every default filled in. */
export type ValidatedWebSocketOptions = ValidatedOptions<typeof WEBSOCKET_RULES>;
/** `@JambonzGateway()` options, validated: `path` normalised (see {@link gatewayPath}), `kind` present. */
export type ValidatedGatewayOptions = ValidatedOptions<typeof GATEWAY_RULES> & {
  readonly path: string;
  readonly kind: JambonzEndpointKind;
};

/** Material options: an explicit `undefined` there is an unset variable, not "not configured". */
const MATERIAL: ReadonlyArray<keyof JambonzAuthModuleOptions> = [
  'secret',
  'namedSecrets',
  'secretResolver',
  'basicAuth',
  'namedCredentials',
];

/**
 * Validates the module's options (what `forRoot()` received or the `forRootAsync()` factory
 * returned) and fills in defaults.
 *
 * @throws JambonzAuthConfigError naming the option and what to set, when: `options` is not an
 *   object or has an unknown key (`isGlobal` included: it goes beside the factory); a material
 *   option (`secret`, `basicAuth`, their named sets, `secretResolver`) is present but
 *   `undefined`; there is no `secret`, `secretResolver` or `basicAuth`; both `secret` and
 *   `secretResolver` are set; a secret or credential breaks its rules; `require` asks for a check
 *   without material; a number is out of range; the clock does not answer Unix seconds.
 */
export function validateModuleOptions(options: unknown): ValidatedModuleOptions {
  const where = 'options';
  if (options === undefined) {
    throw new JambonzAuthConfigError(
      "it has no options: it was imported as the bare class, without forRoot, or forRootAsync's factory returned " +
        "nothing. Import JambonzAuthModule.forRoot(...) or forRootAsync(...) once, in the app's root module, with " +
        'isGlobal: true so that feature modules need not import it, and return the options object from the factory.',
    );
  }
  const given = asObject(options, where);
  if ('isGlobal' in given) {
    throw new JambonzAuthConfigError(
      `${where} has the key 'isGlobal', which is not an option of the module: it goes beside the factory, ` +
        'JambonzAuthModule.forRootAsync({ isGlobal: true, useFactory, inject }).',
    );
  }
  for (const key of MATERIAL) {
    if (key in given && given[key] === undefined) {
      throw new JambonzAuthConfigError(
        `${where}.${key} is undefined: the variable it is read from is probably not set. Set it, or leave the key out.`,
      );
    }
  }
  const o = validateOptions(MODULE_RULES, given, where);
  if (o.secretResolver !== undefined && o.secret !== undefined) {
    throw new JambonzAuthConfigError(
      `set either ${where}.secret or ${where}.secretResolver, not both: the resolver picks the secrets.`,
    );
  }
  // Named sets count: an app whose every route and gateway names its set needs no default one
  // (each route's own material is checked when the app boots; an empty set of sets is refused above).
  const hasSecret = o.secret !== undefined || o.secretResolver !== undefined || o.namedSecrets !== undefined;
  const hasBasic = o.basicAuth !== undefined || o.namedCredentials !== undefined;
  if (!hasSecret && !hasBasic) {
    throw new JambonzAuthConfigError(
      'nothing to authenticate with. Set secret to the webhook secret from the jambonz portal ' +
        '(e.g. from JAMBONZ_WEBHOOK_SECRET), or basicAuth to the credentials of the application hook, or both ' +
        '(or named sets in namedSecrets and namedCredentials).',
    );
  }
  if (o.require !== undefined) {
    assertMaterial(o.require, hasSecret, hasBasic, `${where}.require`);
  }
  return o;
}

/**
 * Validates `@JambonzWebhook()` options on their own (types and ranges); whether the names
 * exist and the module has material for the checks is decided at bootstrap.
 *
 * @param where where the options come from, for the message (e.g. `@JambonzWebhook() on CallController.onCall`).
 * @throws JambonzAuthConfigError for an unknown key (`basicAuth` included: credentials come from
 *   the module, by name), a key whose value is `undefined` (decorator arguments are evaluated at
 *   import, before configuration loads), or a value of the wrong type or range.
 */
export function validateWebhookOptions(options: unknown, where: string): ValidatedWebhookOptions {
  return validateOptions(WEBHOOK_RULES, decoratorOptions(options ?? {}, WEBHOOK_RULES, where, 'route'), where);
}

/**
 * The options given to a decorator, refused when they carry what a decorator cannot: credentials
 * (`basicAuth`), or a value that is `undefined`, which is what a `process.env` read at import
 * time gives before `ConfigModule` has loaded `.env`.
 * @throws JambonzAuthConfigError saying where such values belong.
 */
function decoratorOptions(
  options: unknown,
  rules: Readonly<Record<string, unknown>>,
  where: string,
  what: 'route' | 'gateway',
): Readonly<Record<string, unknown>> {
  const given = asObject(options, where);
  if ('basicAuth' in given) {
    throw new JambonzAuthConfigError(
      `${where}: basicAuth is not a ${what} option. Decorator arguments are evaluated when the file is imported, ` +
        'before configuration loads, so credentials belong in the module: add them to namedCredentials in ' +
        "JambonzAuthModule's options (from ConfigService) and pick them here with { credentials: 'name' }.",
    );
  }
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined && key in rules) {
      throw new JambonzAuthConfigError(
        `${where}: ${key} is undefined. Decorator arguments are evaluated when the file is imported, before ` +
          'ConfigModule loads .env, so process.env values are not there yet: use a literal (a set name, a number), ' +
          "and keep values from configuration in JambonzAuthModule's options.",
      );
    }
  }
  return given;
}

/**
 * Validates `@JambonzGateway()` options on their own (types and ranges); whether the credential
 * set exists, and whether another gateway takes the same port and path, is decided at bootstrap.
 *
 * @param where where the options come from, for the message (e.g. `@JambonzGateway() on CallGateway`).
 * @throws JambonzAuthConfigError for options that are not an object, an unknown key (`basicAuth`
 *   included: credentials come from the module, by name), a key whose value is `undefined`, a
 *   missing `path` or `kind`, a value of the wrong type or range, or `open: true` with `credentials`.
 */
export function validateGatewayOptions(options: unknown, where: string): ValidatedGatewayOptions {
  const o = validateOptions(GATEWAY_RULES, decoratorOptions(options, GATEWAY_RULES, where, 'gateway'), where);
  if (o.path === undefined) {
    throw new JambonzAuthConfigError(
      `${where}: path is missing: the endpoint's path, as in the jambonz URL ('/ws' for ws://host/ws).`,
    );
  }
  if (o.kind === undefined) {
    throw new JambonzAuthConfigError(
      `${where}: kind is missing: 'api' for jambonz's WebSocket API (a ws:// call hook), 'audio' for a listen or stream verb's audio.`,
    );
  }
  if (o.open === true && o.credentials !== undefined) {
    throw new JambonzAuthConfigError(
      `${where}: open: true checks no credentials, so credentials: '${o.credentials}' would never be checked. Drop one of them.`,
    );
  }
  return o as ValidatedGatewayOptions;
}

/**
 * Validates the module's `replay` block.
 * @throws JambonzAuthConfigError for a missing or incomplete store, an unknown key or a bad number.
 */
function validateReplayOptions(value: unknown, where: string): ValidatedReplayOptions {
  const replay = validateOptions(REPLAY_RULES, asObject(value, where), where);
  if (replay.store === undefined) {
    throw new JambonzAuthConfigError(
      `${where}.store is missing: new MemoryReplayStore() for one instance, or new RedisReplayStore(redisClient) for several.`,
    );
  }
  if (replay.timeout > replay.lease / 2) {
    // The lease is renewed every third of it, and a renewal may take up to the timeout: past
    // half the lease, a slow store could let it lapse while the request still runs.
    throw new JambonzAuthConfigError(
      `${where}.timeout (${replay.timeout} s) must be at most half of ${where}.lease (${replay.lease} s), so that the ` +
        'lease is renewed before it lapses: raise the lease or lower the timeout.',
    );
  }
  return replay as ValidatedReplayOptions;
}

/**
 * @throws JambonzAuthConfigError when `check` needs a secret or credentials that are missing.
 */
export function assertMaterial(check: JambonzAuthRequirement, hasSecret: boolean, hasBasic: boolean, where: string): void {
  if (check !== 'basic' && !hasSecret) {
    throw new JambonzAuthConfigError(
      `${where} is '${check}', which needs a webhook secret: set secret (or secretResolver) in JambonzAuthModule's options.`,
    );
  }
  if (check !== 'signature' && !hasBasic) {
    throw new JambonzAuthConfigError(
      `${where} is '${check}', which needs Basic credentials: set basicAuth (or a named credential set) in JambonzAuthModule's options.`,
    );
  }
}

function validateOptions<R extends Record<string, OptionRule<unknown, unknown>>>(
  rules: R,
  given: Readonly<Record<string, unknown>>,
  where: string,
): ValidatedOptions<R> {
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(rules, key)) {
      throw new JambonzAuthConfigError(`${where} has an unknown key '${key}'. Known keys: ${Object.keys(rules).join(', ')}.`);
    }
  }
  const result: Record<string, unknown> = {};
  for (const [key, rule] of Object.entries(rules)) {
    const value = given[key];
    result[key] = value === undefined ? rule.default : rule.check(value, `${where}.${key}`, given);
  }
  return Object.freeze(result) as ValidatedOptions<R>;
}

function asObject(options: unknown, where: string): Readonly<Record<string, unknown>> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new JambonzAuthConfigError(`${where} must be an object (got ${describe(options)}).`);
  }
  return options as Record<string, unknown>;
}

function secretRulesOf(options: Readonly<Record<string, unknown>>): WebhookSecretRules {
  return {
    allowWellKnownSecret: options.allowWellKnownSecret === true,
    allowSecretWhitespace: options.allowSecretWhitespace === true,
  };
}

/**
 * What is wrong with a secret that breaks a rule of `webhookSecretProblem` (`what`, never
 * containing the value; also used for a secret resolver's answers) and what to do (`fix`).
 */
export const SECRET_PROBLEMS: Readonly<Record<WebhookSecretProblem, { readonly what: string; readonly fix: string }>> = {
  type: { what: 'is not a string', fix: 'Set it to the webhook secret from the jambonz portal (Account > Webhook secret).' },
  empty: { what: 'is empty', fix: 'Set it to the webhook secret from the jambonz portal (Account > Webhook secret).' },
  placeholder: {
    what: "is 'undefined', 'null', an unexpanded variable reference or the like, what an unset variable becomes in a template string or a .env file",
    fix: 'The variable it is read from is probably not set: set it to the webhook secret from the jambonz portal.',
  },
  invisible: {
    what: 'holds only whitespace or invisible characters',
    fix: 'Set it to the webhook secret from the jambonz portal (Account > Webhook secret).',
  },
  whitespace: {
    what: 'has leading or trailing whitespace, an invisible character or a line break, usually a copy-paste accident',
    fix: 'Remove it, or set allowSecretWhitespace: true if the secret really contains it.',
  },
  'well-known': {
    what: "is the default webhook secret of jambonz's open-source seed database, which everyone knows: requests signed with it prove nothing",
    fix: 'Regenerate the secret in the jambonz portal and use the new one (or set allowWellKnownSecret: true for a local test server).',
  },
};

function secretList(value: unknown, where: string, rules: WebhookSecretRules): readonly string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw new JambonzAuthConfigError(
      `${where} must be the webhook secret (a string) or a non-empty array of them. ` +
        'Copy it from the jambonz portal (Account > Webhook secret).',
    );
  }
  return Object.freeze(
    // Array.from: a hole in the array is checked as `undefined` (map would skip it).
    Array.from(list as unknown[]).map((secret: unknown, index) => {
      const problem = webhookSecretProblem(secret, rules);
      if (problem !== undefined) {
        const name = typeof value === 'string' ? where : `${where}[${index}]`;
        throw new JambonzAuthConfigError(`${name} ${SECRET_PROBLEMS[problem].what}. ${SECRET_PROBLEMS[problem].fix}`);
      }
      return secret as string;
    }),
  );
}

const CREDENTIALS_PROBLEMS = {
  shape: (name: string) => `${name} must be { username, password }.`,
  username: (name: string) => `${name}.username must be a non-empty string without ':' (RFC 7617).`,
  password: (name: string) => `${name}.password must be a non-empty string.`,
  placeholder: (name: string) =>
    `${name} has a username or password 'undefined', 'null', an unexpanded variable reference or the like, what an unset variable becomes in a ` +
    'template string or a .env file: the variable it is read from is probably not set.',
  invisible: (name: string) =>
    `${name} has a username or password made only of whitespace or invisible characters: set the credentials of the ` +
    'jambonz application hook.',
  characters: (name: string) =>
    `${name} contains a control character or a line separator, which RFC 7617 does not allow in Basic credentials. ` +
    'Remove it (a pasted value often ends with a newline) and set the same value on the jambonz application.',
} as const;

function credentialList(value: unknown, where: string): readonly BasicCredentials[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) {
    throw new JambonzAuthConfigError(`${where} is an empty array. Set { username, password } of the jambonz application hook.`);
  }
  return Object.freeze(
    Array.from(list as unknown[]).map((pair: unknown, index) => {
      const problem = credentialsProblem(pair);
      if (problem !== undefined) {
        const name = Array.isArray(value) ? `${where}[${index}]` : where;
        throw new JambonzAuthConfigError(unsetCredential(pair, name) ?? CREDENTIALS_PROBLEMS[problem](name));
      }
      const { username, password } = pair as BasicCredentials;
      return { username, password };
    }),
  );
}

/**
 * The message for credentials that an unset variable or a slip in their shape produced: a
 * string where `{ username, password }` belongs, or a username or password that is `undefined`.
 * Never shows a value.
 */
function unsetCredential(pair: unknown, name: string): string | undefined {
  if (typeof pair === 'string') {
    return (
      `${name} is a string, where { username, password } belongs: read the username and the password from two ` +
      'variables (a "user:pass" string is not split, and its password would show in errors).'
    );
  }
  if (typeof pair !== 'object' || pair === null) return undefined;
  const missing = (['username', 'password'] as const).find((key) => (pair as Record<string, unknown>)[key] === undefined);
  return missing === undefined
    ? undefined
    : `${name}.${missing} is undefined: the variable it is read from is probably not set, or the key is misspelt ` +
        '(the keys are username and password).';
}

const SET_NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;

/** A set name as written: not `'undefined'` or the like, which a key or a decorator argument read from an unset variable gives. */
function isSetName(name: string): boolean {
  return SET_NAME.test(name) && !isPlaceholder(name);
}

function namedSets<T>(value: unknown, where: string, check: (set: unknown, name: string) => T): ReadonlyMap<string, T> {
  const sets = asObject(value, where);
  const names = Object.keys(sets);
  if (names.length === 0) {
    throw new JambonzAuthConfigError(`${where} is empty: name at least one set, or leave the key out.`);
  }
  return new Map(
    names.map((name) => {
      if (!isSetName(name) || name === DEFAULT_SET || name.startsWith('wh_secret_')) {
        throw new JambonzAuthConfigError(
          `${where} has a set named ${describe(name)}: names are 1 to 64 letters, digits, '_', '.' or '-', not a ` +
            `secret (a key and its value swapped?) nor what an unset variable gives ('undefined', 'null'), and ` +
            `'${DEFAULT_SET}' is reserved for the unnamed set.`,
        );
      }
      if (sets[name] === undefined) {
        throw new JambonzAuthConfigError(`${where}.${name} is undefined: the variable it is read from is probably not set.`);
      }
      return [name, check(sets[name], `${where}.${name}`)] as const;
    }),
  );
}

/** A gateway's path, checked, then normalised as Nest's `WsAdapter` compares it (see `urlPath`). */
function gatewayPath(value: unknown, where: string): string {
  if (typeof value !== 'string' || !/^[^\s?#]*$/.test(value)) {
    throw new JambonzAuthConfigError(
      `${where} must be a path such as '/ws', without spaces, query string or fragment (got ${describe(value)}).`,
    );
  }
  return urlPath(value);
}

/** A positive whole number of bytes. */
function bytes(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new JambonzAuthConfigError(`${where} must be a positive whole number of bytes (got ${describe(value)}).`);
  }
  return value;
}

function setName(value: unknown, where: string): string {
  if (typeof value !== 'string' || !isSetName(value)) {
    throw new JambonzAuthConfigError(
      `${where} must be the name of a set of the module's options (1 to 64 letters, digits, '_', '.' or '-', not ` +
        `'undefined' or 'null'; ` +
        `'${DEFAULT_SET}' for the unnamed one)${typeof value === 'string' && mayBeSecret(value) ? ', not a secret or a credential itself' : ''}.`,
    );
  }
  return value;
}

function requirement(value: unknown, where: string): JambonzAuthRequirement {
  return oneOf(value, where, REQUIREMENTS);
}

function oneOf<T extends string>(value: unknown, where: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new JambonzAuthConfigError(
      `${where} must be one of ${allowed.map((c) => `'${c}'`).join(', ')} (got ${describe(value)}).`,
    );
  }
  return value as T;
}

function flag(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') {
    throw new JambonzAuthConfigError(`${where} must be true or false (got ${describe(value)}).`);
  }
  return value;
}

/** A number of seconds: positive (or zero with `zero`), at least `min`, at most `max`. */
function seconds(limits: { zero?: boolean; min?: number; max?: number; why?: string }): Check<number> {
  return (value, where) => {
    const valid =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (limits.zero ? value >= 0 : value > 0) &&
      (limits.min === undefined || value >= limits.min) &&
      (limits.max === undefined || value <= limits.max);
    if (!valid) {
      const range = [
        limits.zero ? 'a non-negative number of seconds' : 'a positive number of seconds',
        limits.min !== undefined ? `at least ${limits.min}` : '',
        limits.max !== undefined ? `at most ${limits.max}` : '',
      ].filter(Boolean);
      const why = limits.why ? `: ${limits.why}` : '';
      throw new JambonzAuthConfigError(`${where} must be ${range.join(', ')} (got ${describe(value)})${why}.`);
    }
    return value;
  };
}

function tolerance(value: unknown, where: string): number {
  return seconds({
    max: MAX_TOLERANCE_SECONDS,
    why: `jambonz retries a delivery for about 75 s; the default is ${DEFAULT_TOLERANCE_SECONDS}`,
  })(value, where, {});
}

/** The earliest time a clock may answer, Unix seconds: 2001-09-09, long before any jambonz. */
const EARLIEST_CLOCK = 1_000_000_000;

/** True when `value` could be a secret: jambonz's format, or long enough to be any secret. */
export function mayBeSecret(value: string): boolean {
  return value.startsWith('wh_secret_') || value.length > 20;
}

function clock(value: unknown, where: string): () => number {
  if (typeof value !== 'function') {
    throw new JambonzAuthConfigError(`${where} must be a function returning the Unix time in seconds.`);
  }
  let now: unknown;
  try {
    now = (value as () => unknown)();
  } catch {
    now = 'an error';
  }
  // A clock in milliseconds (or seconds since the process started) would refuse every request
  // without a word: check it once, here.
  if (typeof now !== 'number' || !(now >= EARLIEST_CLOCK) || !isSignableTimestamp(Math.floor(now))) {
    throw new JambonzAuthConfigError(
      `${where} must return the Unix time in seconds, ${EARLIEST_CLOCK} to ${MAX_SIGNATURE_TIMESTAMP} (it returned ` +
        `${describe(now)}; milliseconds? divide by 1000).`,
    );
  }
  return value as () => number;
}

function describe(value: unknown): string {
  // A value in the wrong option may be a secret (two variables swapped): only short, unlikely ones are quoted.
  if (typeof value === 'string') return mayBeSecret(value) ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}
