import type { JambonzAuthReason } from '../core/index.js';
import type { JambonzAuthContext } from '../jambonz-auth-context.decorator.js';
import type { JambonzReplayReason } from '../replay/jambonz-replay.exception.js';

/**
 * Why the module refused a request, for events and metrics: a {@link JambonzAuthReason} (401), a
 * {@link JambonzReplayReason} (409), `replay_store_failed` (503 when replay protection fails
 * closed), `body_too_large` (413) or `body_unreadable` (400: aborted, or not the JSON its
 * content type says) when the module reads the body itself.
 */
export type JambonzDecisionReason =
  JambonzAuthReason | JambonzReplayReason | 'replay_store_failed' | 'body_too_large' | 'body_unreadable';

/**
 * One decision of the module about a request (or, with the WebSocket adapter, an upgrade):
 * what an application observes through `onDecision` and the metrics. Names sets and
 * positions, never a secret, a password or a signature.
 */
export interface JambonzAuthDecision {
  /** `http` for a webhook, `websocket` for an upgrade. */
  readonly transport: 'http' | 'websocket';
  /** The route (`Controller.method`) or the gateway (its path). */
  readonly route: string;
  /** The request's HTTP method, as the client sent it. */
  readonly method: string;
  /** Whether the request was let through. */
  readonly outcome: 'accepted' | 'refused';
  /** Why it was refused, most relevant first; empty when accepted. */
  readonly reasons: readonly JambonzDecisionReason[];
  /** What authenticated it (sets and positions that matched, verified `account_sid`, body source); `undefined` when refused. */
  readonly auth: JambonzAuthContext | undefined;
  /** How far the signature's `t` was from now, in seconds (positive: in the past); `undefined` without a parsable signature. */
  readonly skew: number | undefined;
  /** Time spent deciding, in seconds (body read, resolver and replay store included). */
  readonly duration: number;
}

/** Receives the module's decisions. Built from the module options; `undefined` when nothing observes. */
export interface JambonzDecisionObserver {
  /** Called once per decision, on the request path: must return at once and never throw. */
  decided(decision: JambonzAuthDecision): void;
}
