/**
 * What an unset or mistyped configuration value turns into once it has been through a template
 * string, `String()` or a `.env` file: `` `${process.env.UNSET}` `` is `'undefined'`, a JSON or
 * YAML null is often `'null'`. None of them is a real secret or password, so a configuration that
 * holds one is refused rather than used (compared case-insensitively, with whitespace and
 * invisible characters ignored, as a paste can add them).
 */
const PLACEHOLDERS: ReadonlySet<string> = new Set(['undefined', 'null', 'nan', '[objectobject]']);

const INVISIBLE = /[\s\p{Cc}\p{Cf}]/gu;

/** True when `value` is what an unset variable produces (see {@link PLACEHOLDERS}), never a real secret. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDERS.has(value.replace(INVISIBLE, '').toLowerCase());
}
