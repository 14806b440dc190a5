import { isPlaceholder } from './placeholder.js';

/**
 * The webhook secret that jambonz's open-source seed database ships with (the default account
 * created by jambonz-api-server's database seed). Any jambonz installation that never changed it
 * signs with a value everyone knows, so a verifier configured with it protects nothing.
 */
export const WELL_KNOWN_JAMBONZ_SECRET = 'wh_secret_cJqgtMDPzDhhnjmaJH6Mtk';

/**
 * Why a value cannot serve as a webhook secret:
 * - `'type'`: not a string;
 * - `'empty'`: the empty string;
 * - `'placeholder'`: what an unset variable turns into (`'undefined'`, `'null'`...);
 * - `'invisible'`: only whitespace, control or invisible formatting characters (a zero-width
 *   space, a byte-order mark), which a paste can produce and nobody can read back;
 * - `'whitespace'`: whitespace, a line break or an invisible character at either end, almost
 *   always a paste accident (allowed with `allowSecretWhitespace`);
 * - `'well-known'`: {@link WELL_KNOWN_JAMBONZ_SECRET} (allowed with `allowWellKnownSecret`).
 */
export type WebhookSecretProblem = 'type' | 'empty' | 'placeholder' | 'invisible' | 'whitespace' | 'well-known';

/** Exceptions to the rules of {@link webhookSecretProblem}, both off by default. */
export interface WebhookSecretRules {
  /** Accept {@link WELL_KNOWN_JAMBONZ_SECRET} (a local test server only). */
  readonly allowWellKnownSecret?: boolean;
  /** Accept whitespace or invisible characters at either end of a secret. */
  readonly allowSecretWhitespace?: boolean;
}

const INVISIBLE_ONLY = /^[\s\p{Cc}\p{Cf}\p{Z}]+$/u;

/** True when `value` is made only of whitespace, control or invisible formatting characters. */
export function isInvisible(value: string): boolean {
  return INVISIBLE_ONLY.test(value);
}
const INVISIBLE_AT_AN_END = /^[\s\p{Cc}\p{Cf}\p{Z}]|[\s\p{Cc}\p{Cf}\p{Z}]$|[\r\n]/u;

/**
 * The one place the rules for a webhook secret live: the module applies them to configured
 * secrets at bootstrap and to a secret resolver's answers on each request. jambonz itself
 * accepts any string as a secret, so the rules refuse only values that cannot be what the
 * operator meant.
 *
 * @returns why `value` cannot be used, or `undefined` when it can.
 */
export function webhookSecretProblem(value: unknown, rules: WebhookSecretRules = {}): WebhookSecretProblem | undefined {
  if (typeof value !== 'string') return 'type';
  if (value === '') return 'empty';
  if (isInvisible(value)) return 'invisible';
  if (isPlaceholder(value)) return 'placeholder';
  if (!rules.allowSecretWhitespace && INVISIBLE_AT_AN_END.test(value)) return 'whitespace';
  if (!rules.allowWellKnownSecret && value === WELL_KNOWN_JAMBONZ_SECRET) return 'well-known';
  return undefined;
}
