/**
 * What an unset or mistyped configuration value turns into once it has been through a template
 * string, `String()` or a `.env` file: `` `${process.env.UNSET}` `` is `'undefined'`, a JSON or
 * YAML null is often `'null'`. None of them is a real secret or password, so a configuration that
 * holds one is refused rather than used (compared case-insensitively, surrounding spaces ignored).
 */
const PLACEHOLDERS: ReadonlySet<string> = new Set(['undefined', 'null', 'nan', '[object object]']);

/** True when `value` is what an unset variable produces (see {@link PLACEHOLDERS}), never a real secret. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDERS.has(value.trim().toLowerCase());
}
