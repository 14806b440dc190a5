/**
 * What an unset or mistyped configuration value turns into once it has been through a template
 * string, `String()` or a `.env` file: `` `${process.env.UNSET}` `` is `'undefined'`, a JSON or
 * YAML null is often `'null'`. None of them is a real secret or password, so a configuration that
 * holds one is refused rather than used (compared case-insensitively, with whitespace and
 * invisible characters ignored, as a paste can add them).
 */
const PLACEHOLDERS: ReadonlySet<string> = new Set(['undefined', 'null', 'nan', '[objectobject]']);

const INVISIBLE = /[\s\p{Cc}\p{Cf}]/gu;

/**
 * A variable reference left unexpanded: `${NAME}` (with or without a default or a message, as
 * `${NAME:-default}`), or `$NAME_WITH_UNDERSCORES` in capitals, which is what a `.env` line such
 * as `JAMBONZ_WEBHOOK_SECRET=${OTHER}` gives when variable expansion is off (the default of
 * `@nestjs/config`). A bare `$` form needs an underscore, so that a password such as `$ECRET`
 * is not taken for one. Matched on the whole value, without its surrounding whitespace.
 */
const UNEXPANDED = /^(?:\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-=?+][^}]*)?\}|\$[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)$/;

/**
 * True when `value` is what an unset variable produces (see {@link PLACEHOLDERS}) or an
 * unexpanded variable reference (see {@link UNEXPANDED}), never a real secret.
 */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDERS.has(value.replace(INVISIBLE, '').toLowerCase()) || UNEXPANDED.test(value.trim());
}
