import { Inject, Injectable } from '@nestjs/common';
import type { JambonzAuthConfig } from '../jambonz-auth.config.js';
import { JAMBONZ_AUTH_CONFIG } from '../jambonz-auth.constants.js';
import type { JambonzCredentialUsageReport } from './credential-usage.interface.js';

/**
 * Rotation telemetry for the application (provided and exported by `JambonzAuthModule`): when
 * each configured webhook secret and Basic credential pair last authenticated a request on this
 * instance, and which ones are safe to remove here.
 *
 * ```ts
 * constructor(private readonly usage: JambonzCredentialUsage) {}
 * this.usage.report().entries.filter((e) => e.safeToRemove).map((e) => e.option) // ['secret[0]']
 * ```
 *
 * Recording is on while a set holds more than one secret or pair, or with `metrics`, or with
 * `credentialUsage: true` (see the option); otherwise `report()` lists what is configured, with
 * `tracking: false` and no uses. Usage is per instance and starts at bootstrap: a fleet-wide
 * answer comes from the `jambonz.auth.secret.last_used` gauges (README, rotation runbook).
 */
@Injectable()
export class JambonzCredentialUsage {
  constructor(@Inject(JAMBONZ_AUTH_CONFIG) private readonly config: JambonzAuthConfig) {}

  /**
   * Every configured secret (sets of `secret` and `namedSecrets`), then every credential pair
   * (`basicAuth`, `namedCredentials`), with its last use, time unused and verdict, at the
   * module's clock. Secrets a `secretResolver` picks are not listed.
   */
  report(): JambonzCredentialUsageReport {
    return this.config.credentialUsage.report(this.config.clock());
  }
}
