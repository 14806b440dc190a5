import type { Attributes, Histogram, Meter } from '@opentelemetry/api';
import type { CredentialUsageTracker } from './credential-usage.tracker.js';
import type { JambonzAuthDecision } from './jambonz-auth-decision.interface.js';
import type { JambonzMeterProvider } from './observability-options.interface.js';

/** The instrumentation scope of the module's instruments (the meter's name). */
export const JAMBONZ_METER_NAME = 'nestjs-jambonz-auth';

/**
 * The names of the module's OpenTelemetry instruments, after OpenTelemetry's naming conventions
 * (a namespace, dots, units in the unit field). `@opentelemetry/exporter-prometheus` turns them
 * into `jambonz_auth_decisions_total`, `jambonz_auth_decision_duration_*`,
 * `jambonz_auth_secret_last_used` and `jambonz_auth_credentials_last_used` (exporters that
 * append the unit add `_seconds` to the last three), attributes into labels with `_` for `.`.
 */
export const JAMBONZ_METRICS = Object.freeze({
  /**
   * Counter (an observable one: counted in process, reported at collection), unit `{decision}`:
   * every decision, with the attributes of {@link JAMBONZ_METRIC_ATTRIBUTES}.
   */
  decisions: 'jambonz.auth.decisions',
  /** Histogram, unit `s`: the time the guard (or the upgrade check) took to decide, body read, resolver and replay store included. */
  duration: 'jambonz.auth.decision.duration',
  /** Observable gauge, unit `s`: when each secret (set, index) last verified a signature on this instance, Unix seconds. */
  secretLastUsed: 'jambonz.auth.secret.last_used',
  /** Observable gauge, unit `s`: when each Basic credential pair (set, index) last authenticated a request on this instance, Unix seconds. */
  credentialsLastUsed: 'jambonz.auth.credentials.last_used',
});

/**
 * The attributes of the module's instruments. All have few values (the app's routes, set names
 * and positions, fixed codes): no account sid, username or path parameter is ever an attribute.
 *
 * - `decisions`: `transport`, `route`, `method`, `outcome`; refused: `reason`; accepted:
 *   `verifiedBy`, and where they apply `bodySource`, `secretSet` + `secretIndex`,
 *   `credentialsSet` + `credentialsIndex`.
 * - `duration`: `transport`, `route`, `outcome`.
 * - `secretLastUsed`: `secretSet`, `secretIndex`; `credentialsLastUsed`: `credentialsSet`, `credentialsIndex`.
 */
export const JAMBONZ_METRIC_ATTRIBUTES = Object.freeze({
  /** `http` or `websocket`. */
  transport: 'jambonz.auth.transport',
  /** The route (`Controller.method`) or the gateway. */
  route: 'jambonz.auth.route',
  /** The request's method, OpenTelemetry's `http.request.method` (`_OTHER` for an unknown one). */
  method: 'http.request.method',
  /** `accepted` or `refused`. */
  outcome: 'jambonz.auth.outcome',
  /** The refusal's reason codes, comma-separated, most relevant first (`signature_mismatch`, `missing_credentials,signature_mismatch`...). */
  reason: 'jambonz.auth.reason',
  /** `signature`, `basic` or `both`. */
  verifiedBy: 'jambonz.auth.verified_by',
  /** Where the verified bytes came from: `raw-body`, `stream` or `reserialized`. */
  bodySource: 'jambonz.auth.body_source',
  /** The secret set that verified the signature. */
  secretSet: 'jambonz.auth.secret.set',
  /** The position of that secret in its set, from 0. */
  secretIndex: 'jambonz.auth.secret.index',
  /** The Basic credential set that matched. */
  credentialsSet: 'jambonz.auth.credentials.set',
  /** The position of that pair in its set, from 0. */
  credentialsIndex: 'jambonz.auth.credentials.index',
});

/** Bucket boundaries for the duration, in seconds: 10 µs (a cached HMAC) to 10 s (a resolver's time limit). */
export const DECISION_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** HTTP methods as OpenTelemetry's `http.request.method` keeps them; any other becomes `_OTHER`. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

const A = JAMBONZ_METRIC_ATTRIBUTES;

/** One series of the decision counter. */
interface DecisionCount {
  readonly attributes: Attributes;
  count: number;
}

/**
 * The module's OpenTelemetry instruments. Built once at bootstrap from a meter provider;
 * {@link record} runs off the request path, for each decision.
 *
 * The decision counter is counted here, by series, and handed to the SDK as an observable
 * counter when the metrics are collected: a synchronous counter's `add()` hashes its ten or so
 * attributes on every call, which cost several times what the rest of the recording does. The
 * histogram has no asynchronous form, and takes three attributes.
 */
export class JambonzAuthMetrics {
  private readonly counts = new Map<string, DecisionCount>();
  private readonly duration: Histogram;

  /**
   * @param provider where the instruments are created.
   * @param usage rotation telemetry, which the last-use gauges report.
   */
  constructor(provider: JambonzMeterProvider, usage: CredentialUsageTracker) {
    const meter = provider.getMeter(JAMBONZ_METER_NAME) as Meter;
    meter
      .createObservableCounter(JAMBONZ_METRICS.decisions, {
        description: 'Decisions of nestjs-jambonz-auth about jambonz webhooks and WebSocket upgrades.',
        unit: '{decision}',
      })
      .addCallback((result) => {
        for (const { attributes, count } of this.counts.values()) result.observe(count, attributes);
      });
    this.duration = meter.createHistogram(JAMBONZ_METRICS.duration, {
      description: 'Time nestjs-jambonz-auth took to decide about a request.',
      unit: 's',
      advice: { explicitBucketBoundaries: [...DECISION_DURATION_BUCKETS] },
    });
    meter
      .createObservableGauge(JAMBONZ_METRICS.secretLastUsed, {
        description: 'When each configured webhook secret last verified a signature on this instance, Unix time.',
        unit: 's',
      })
      .addCallback((result) =>
        usage.forEachUse('secret', (last, set, index) => result.observe(last, { [A.secretSet]: set, [A.secretIndex]: index })),
      );
    meter
      .createObservableGauge(JAMBONZ_METRICS.credentialsLastUsed, {
        description: 'When each configured Basic credential pair last authenticated a request on this instance, Unix time.',
        unit: 's',
      })
      .addCallback((result) =>
        usage.forEachUse('basic', (last, set, index) =>
          result.observe(last, { [A.credentialsSet]: set, [A.credentialsIndex]: index }),
        ),
      );
  }

  /** Counts the decision and records its duration. */
  record(decision: JambonzAuthDecision): void {
    const { transport, route, outcome, auth } = decision;
    this.duration.record(decision.duration, { [A.transport]: transport, [A.route]: route, [A.outcome]: outcome });
    const method = KNOWN_METHODS.has(decision.method) ? decision.method : '_OTHER';
    const reason = outcome === 'refused' ? decision.reasons.join(',') : '';
    // One series per distinct set of attributes (NUL cannot occur in any of them).
    const key =
      auth === undefined || outcome === 'refused'
        ? `${transport}\u0000${route}\u0000${method}\u0000${outcome}\u0000${reason}`
        : `${transport}\u0000${route}\u0000${method}\u0000${outcome}\u0000${auth.verifiedBy}\u0000${auth.bodySource}\u0000` +
          `${auth.secretSet}\u0000${auth.secretIndex}\u0000${auth.credentialSet}\u0000${auth.credentialIndex}`;
    const series = this.counts.get(key);
    if (series) {
      series.count++;
      return;
    }
    const attributes: Attributes = { [A.transport]: transport, [A.route]: route, [A.method]: method, [A.outcome]: outcome };
    if (outcome === 'refused') {
      attributes[A.reason] = reason;
    } else if (auth) {
      attributes[A.verifiedBy] = auth.verifiedBy;
      if (auth.bodySource !== undefined) attributes[A.bodySource] = auth.bodySource;
      if (auth.secretIndex !== undefined) {
        attributes[A.secretSet] = auth.secretSet;
        attributes[A.secretIndex] = auth.secretIndex;
      }
      if (auth.credentialIndex !== undefined) {
        attributes[A.credentialsSet] = auth.credentialSet;
        attributes[A.credentialsIndex] = auth.credentialIndex;
      }
    }
    this.counts.set(key, { attributes, count: 1 });
  }
}
