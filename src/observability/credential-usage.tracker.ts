import type { LoggerService } from '@nestjs/common';
import type { JambonzAuthContext } from '../jambonz-auth-context.decorator.js';
import { DEFAULT_SET } from '../jambonz-auth.constants.js';
import type { JambonzCredentialUsageEntry, JambonzCredentialUsageReport } from './credential-usage.interface.js';

/** One set's usage: per position, the last use (NaN: none yet) and what was logged about it. */
interface SetUsage {
  readonly kind: 'secret' | 'basic';
  readonly set: string;
  readonly options: readonly string[];
  readonly lastUsed: Float64Array;
  /** Logged that this position, not the first, authenticated a request. */
  readonly notFirstLogged: boolean[];
  /** Logged that this position went unused; cleared when it is used again. */
  readonly unusedLogged: boolean[];
}

/** What {@link CredentialUsageTracker} is built from. */
export interface CredentialUsageSettings {
  /** Record uses (the `credentialUsage` option, resolved); `false`: only list what is configured. */
  readonly tracking: boolean;
  /** Seconds of disuse after which a position counts as unused. */
  readonly unusedAfter: number;
  /** When recording starts, Unix seconds. */
  readonly since: number;
}

/**
 * Rotation telemetry of one instance: when each configured webhook secret and Basic credential
 * pair last authenticated a request. {@link record} runs on the request path for accepted
 * decisions, so it does one map lookup and one array store per check, plus a loop over the
 * (small) set to log what changed; everything else is done when a report is asked for.
 *
 * Secrets picked by a secret resolver are not tracked: their positions are per account.
 */
export class CredentialUsageTracker {
  private readonly secrets = new Map<string, SetUsage>();
  private readonly credentials = new Map<string, SetUsage>();

  /**
   * @param secretSets the size of each static secret set, by name.
   * @param credentialSets the size of each Basic credential set, by name.
   * @param settings whether it records, after how long an entry counts as unused, since when.
   * @param logger where the rotation lines go (`log` level).
   */
  constructor(
    secretSets: ReadonlyMap<string, number>,
    credentialSets: ReadonlyMap<string, number>,
    /** Whether it records, after how long an entry counts as unused, since when. */
    readonly settings: CredentialUsageSettings,
    private readonly logger: LoggerService,
  ) {
    for (const [set, size] of secretSets) this.secrets.set(set, usage('secret', set, size));
    for (const [set, size] of credentialSets) this.credentials.set(set, usage('basic', set, size));
  }

  /**
   * Records what authenticated an accepted request.
   * @param auth the request's authentication context.
   * @param now the module's clock, Unix seconds.
   */
  record(auth: JambonzAuthContext, now: number): void {
    if (auth.secretIndex !== undefined) this.use(this.secrets.get(auth.secretSet!), auth.secretIndex, now);
    if (auth.credentialIndex !== undefined) this.use(this.credentials.get(auth.credentialSet!), auth.credentialIndex, now);
  }

  /**
   * Every configured secret and pair with its last use on this instance.
   * @param now the module's clock, Unix seconds.
   */
  report(now: number): JambonzCredentialUsageReport {
    const entries: JambonzCredentialUsageEntry[] = [];
    for (const set of [...this.secrets.values(), ...this.credentials.values()]) {
      for (let index = 0; index < set.lastUsed.length; index++) {
        const last = set.lastUsed[index]!;
        entries.push({
          kind: set.kind,
          set: set.set,
          index,
          option: set.options[index]!,
          lastUsed: Number.isNaN(last) ? undefined : last,
          unusedFor: this.unusedFor(set, index, now),
          safeToRemove: this.unused(set, index, now),
        });
      }
    }
    const { tracking, since, unusedAfter } = this.settings;
    return { tracking, now, since, unusedAfter, entries };
  }

  /**
   * Calls `observe` with the last use of every position used so far, for the metrics' gauges.
   * @param kind which sets.
   */
  forEachUse(kind: 'secret' | 'basic', observe: (lastUsed: number, set: string, index: number) => void): void {
    for (const set of (kind === 'secret' ? this.secrets : this.credentials).values()) {
      set.lastUsed.forEach((last, index) => {
        if (!Number.isNaN(last)) observe(last, set.set, index);
      });
    }
  }

  private use(set: SetUsage | undefined, index: number, now: number): void {
    // A resolver's secrets have no set here; a position past the set's end cannot happen.
    if (set === undefined || index >= set.lastUsed.length) return;
    set.lastUsed[index] = now;
    set.unusedLogged[index] = false;
    if (index > 0 && !set.notFirstLogged[index]) {
      set.notFirstLogged[index] = true;
      this.logger.log(
        `${set.options[index]} ${set.kind === 'secret' ? 'verified a webhook signature' : 'authenticated a request'}: ` +
          `jambonz uses a ${set.kind === 'secret' ? 'secret' : 'credential pair'} other than the first of its set.`,
      );
    }
    for (let other = 0; other < set.lastUsed.length; other++) {
      if (other !== index && !set.unusedLogged[other] && this.unused(set, other, now)) {
        set.unusedLogged[other] = true;
        this.logger.log(
          `${set.options[other]} has authenticated nothing on this instance for ${Math.floor(this.unusedFor(set, other, now))} s ` +
            `while ${set.options[index]} did: it can be removed once no other instance uses it either.`,
        );
      }
    }
  }

  private unusedFor(set: SetUsage, index: number, now: number): number {
    const last = set.lastUsed[index]!;
    return now - (Number.isNaN(last) ? this.settings.since : last);
  }

  /** Unused for `unusedAfter` seconds, while another position of the set was used after its last use. */
  private unused(set: SetUsage, index: number, now: number): boolean {
    if (this.unusedFor(set, index, now) < this.settings.unusedAfter) return false;
    const last = set.lastUsed[index]!;
    return set.lastUsed.some(
      (other, position) => position !== index && (Number.isNaN(last) ? !Number.isNaN(other) : other > last),
    );
  }
}

function usage(kind: 'secret' | 'basic', set: string, size: number): SetUsage {
  const option =
    kind === 'secret'
      ? set === DEFAULT_SET
        ? 'secret'
        : `namedSecrets.${set}`
      : set === DEFAULT_SET
        ? 'basicAuth'
        : `namedCredentials.${set}`;
  return {
    kind,
    set,
    options: Array.from({ length: size }, (_, index) => `${option}[${index}]`),
    lastUsed: new Float64Array(size).fill(Number.NaN),
    notFirstLogged: new Array<boolean>(size).fill(false),
    unusedLogged: new Array<boolean>(size).fill(false),
  };
}
