import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { JambonzAuthDecision } from 'nestjs-jambonz-auth';

/** How often the summary is logged, in milliseconds. */
export const SUMMARY_INTERVAL_MS = 60_000;

/**
 * Counts the webhooks the module refused, through its `onDecision` listener, and logs one line
 * per minute when there were any:
 *
 *     Refused 3 webhooks in the last minute: signature_mismatch 2, missing_credentials 1 (CallController.onCall 3)
 *
 * A burst of `signature_mismatch` after a deploy usually means a secret that jambonz no longer
 * (or not yet) signs with; `body_unavailable` or every signature failing, a proxy that rewrites
 * the body; a steady trickle of `missing_signature`, someone probing the endpoint.
 */
@Injectable()
export class RefusalSummary implements OnModuleInit, OnModuleDestroy {
  private readonly reasons = new Map<string, number>();
  private readonly routes = new Map<string, number>();
  private refused = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly logger = new Logger('RefusalSummary');

  /** The `onDecision` listener: counts a refusal by reason and route; ignores what passed. */
  add(decision: JambonzAuthDecision): void {
    if (decision.outcome !== 'refused') return;
    this.refused++;
    // Reasons are fixed codes and routes come from the code: neither is taken from the request.
    for (const reason of decision.reasons) this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
    this.routes.set(decision.route, (this.routes.get(decision.route) ?? 0) + 1);
  }

  /** Logs the summary of the refusals counted since the last one, if any, and starts over. */
  flush(): void {
    if (this.refused === 0) return;
    const list = (counts: Map<string, number>) =>
      [...counts]
        .sort(([, a], [, b]) => b - a)
        .map(([name, count]) => `${name} ${count}`)
        .join(', ');
    this.logger.log(
      `Refused ${this.refused} webhook${this.refused === 1 ? '' : 's'} in the last minute: ${list(this.reasons)} (${list(this.routes)})`,
    );
    this.refused = 0;
    this.reasons.clear();
    this.routes.clear();
  }

  /** Starts the minute timer (unref'd: it never keeps the process alive). */
  onModuleInit(): void {
    this.timer = setInterval(() => this.flush(), SUMMARY_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops the timer and logs what was counted since the last line. */
  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.flush();
  }
}
