import type { LoggerService } from '@nestjs/common';
import { describeError } from '../log-safe.util.js';
import type { CredentialUsageTracker } from './credential-usage.tracker.js';
import type { JambonzAuthDecision, JambonzDecisionObserver } from './jambonz-auth-decision.interface.js';
import type { JambonzAuthMetrics } from './jambonz-auth.metrics.js';
import type { JambonzDecisionListener } from './observability-options.interface.js';

/** Seconds between two log lines about a failing listener (or metrics backend). */
export const FAILURE_LOG_INTERVAL_SECONDS = 60;

/** What observes decisions; each part is `undefined` when the app does not use it. */
export interface DecisionObserverParts {
  /** The app's `onDecision`. */
  readonly listener: JambonzDecisionListener | undefined;
  /** The OpenTelemetry instruments (`metrics`). */
  readonly metrics: JambonzAuthMetrics | undefined;
  /** Rotation telemetry, when it records (`credentialUsage`). */
  readonly usage: CredentialUsageTracker | undefined;
  /** The module's clock, Unix seconds. */
  readonly clock: () => number;
  /** Where failures of the listener or of the metrics go (`error` level). */
  readonly logger: LoggerService;
}

/**
 * The module's decision observer: `undefined` when nothing observes (the guard then builds no
 * decision at all), else one that, for each decision,
 * - records an accepted one's secret and credentials in rotation telemetry, at once (an array
 *   store);
 * - queues it for the metrics and the listener, which run after the current I/O phase (one
 *   `setImmediate` for every decision queued meanwhile), never on the request path: a slow,
 *   throwing or rejecting listener delays and breaks no request. Failures are logged, at most
 *   once per {@link FAILURE_LOG_INTERVAL_SECONDS}, neutralised (`logSafe`).
 *
 * Transport-neutral: the guard (HTTP) and the WebSocket adapter (upgrades) call the same
 * `decided()`.
 */
export function createDecisionObserver(parts: DecisionObserverParts): JambonzDecisionObserver | undefined {
  return parts.listener || parts.metrics || parts.usage ? new DecisionDispatcher(parts) : undefined;
}

class DecisionDispatcher implements JambonzDecisionObserver {
  private queue: JambonzAuthDecision[] = [];
  private scheduled = false;
  private readonly deferred: boolean;
  private failures = 0;
  private lastFailureLog = Number.NEGATIVE_INFINITY;

  constructor(private readonly parts: DecisionObserverParts) {
    this.deferred = parts.listener !== undefined || parts.metrics !== undefined;
  }

  decided(decision: JambonzAuthDecision): void {
    if (decision.auth && this.parts.usage) this.parts.usage.record(decision.auth, this.parts.clock());
    if (!this.deferred) return;
    this.queue.push(decision);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  private readonly flush = (): void => {
    const batch = this.queue;
    this.queue = [];
    this.scheduled = false;
    const { listener, metrics } = this.parts;
    for (const decision of batch) {
      if (metrics) {
        try {
          metrics.record(decision);
        } catch (error) {
          this.failed('Recording metrics', error);
        }
      }
      if (listener) {
        try {
          const result = listener(decision);
          if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
            (result as PromiseLike<unknown>).then(undefined, (error: unknown) => this.failed('The onDecision listener', error));
          }
        } catch (error) {
          this.failed('The onDecision listener', error);
        }
      }
    }
  };

  private failed(what: string, error: unknown): void {
    this.failures++;
    const now = this.parts.clock();
    if (now - this.lastFailureLog < FAILURE_LOG_INTERVAL_SECONDS) return;
    const more = this.failures > 1 ? ` (${this.failures} failures since the last line)` : '';
    this.failures = 0;
    this.lastFailureLog = now;
    this.parts.logger.error(`${what} failed${more}; requests are not affected: ${describeError(error)}`);
  }
}

/** The error's name and message, neutralised: a listener's message can quote anything. */
