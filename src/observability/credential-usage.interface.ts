/**
 * One configured webhook secret or Basic credential pair, as rotation telemetry sees it on this
 * instance. Names its option path and position, never its value.
 */
export interface JambonzCredentialUsageEntry {
  /** `secret` for a webhook secret, `basic` for a Basic credential pair. */
  readonly kind: 'secret' | 'basic';
  /** Its set: `'default'` for `secret` and `basicAuth`, else the name in `namedSecrets` / `namedCredentials`. */
  readonly set: string;
  /** Its position in the set, from 0. */
  readonly index: number;
  /** Where it is configured, as an option path: `secret[1]`, `namedSecrets.partner[0]`, `basicAuth[0]`, `namedCredentials.status[0]`. */
  readonly option: string;
  /** When it last authenticated a request on this instance, Unix seconds; `undefined`: not since the instance started. */
  readonly lastUsed: number | undefined;
  /** Seconds since then, or since the instance started when it has not been used. */
  readonly unusedFor: number;
  /**
   * `true` when, on this instance, it has been unused for at least `unusedAfter` seconds while
   * another of its set authenticated a request after its last use. Other instances may still
   * use it: read the fleet-wide `last_used` gauges (see the README's rotation runbook) before
   * removing it everywhere.
   */
  readonly safeToRemove: boolean;
}

/** What `JambonzCredentialUsage.report()` returns. */
export interface JambonzCredentialUsageReport {
  /** Whether usage is recorded (the `credentialUsage` option); when `false`, no entry has a `lastUsed`. */
  readonly tracking: boolean;
  /** The module's clock when the report was made, Unix seconds. */
  readonly now: number;
  /** When recording started on this instance (the app's bootstrap), Unix seconds. */
  readonly since: number;
  /** Seconds of disuse after which an entry counts as unused (`credentialUsage.unusedAfter`). */
  readonly unusedAfter: number;
  /** Every configured secret, then every configured credential pair, set by set, in order. */
  readonly entries: readonly JambonzCredentialUsageEntry[];
}
