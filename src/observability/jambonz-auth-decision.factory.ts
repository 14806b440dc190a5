import { parseSignatureHeader } from '../core/index.js';
import { getJambonzAuthContext, type JambonzAuthContext } from '../jambonz-auth-context.decorator.js';
import { SIGNATURE_HEADER } from '../jambonz-auth.constants.js';
import { JambonzUnauthorizedException } from '../jambonz-unauthorized.exception.js';
import { JambonzReplayException } from '../replay/jambonz-replay.exception.js';
import type { WebhookRequest } from '../webhook-request.interface.js';
import type { JambonzUpgradeDecision } from '../websocket/jambonz-upgrade.decision.js';
import type { JambonzAuthDecision, JambonzDecisionReason } from './jambonz-auth-decision.interface.js';

/**
 * Property of an exception the module throws for one of its refusals that is not a 401 or a 409
 * (a 503, a 413, a 400): the {@link JambonzDecisionReason} the decision reports for it. Only the
 * module sets it, so a 400 from an application's own code is never taken for the module's.
 */
export const DECISION_REASON = Symbol.for('nestjs-jambonz-auth:decision-reason');

/** Tags `error` with the {@link DECISION_REASON} it stands for, and returns it (to throw). */
export function withDecisionReason<E extends Error>(error: E, reason: JambonzDecisionReason): E {
  return Object.assign(error, { [DECISION_REASON]: reason });
}

/**
 * The decision the guard made about an HTTP request, from how it ended: let through (`error`
 * undefined), or refused by one of the module's own exceptions. Built only when something
 * observes decisions, so an app that observes nothing pays nothing for it.
 *
 * @param route the route (`Controller.method`).
 * @param error what the guard threw; `undefined` when it let the request through.
 * @param started `performance.now()` when the guard began, in milliseconds.
 * @param now the module's clock, Unix seconds.
 * @returns the decision, or `undefined` when `error` is none of the module's refusals (an
 *   unexpected error, which is not a decision and propagates as it is).
 */
export function httpDecision(
  request: WebhookRequest,
  route: string,
  error: unknown,
  started: number,
  now: number,
): JambonzAuthDecision | undefined {
  const reasons = error === undefined ? [] : reasonsOf(error);
  if (reasons === undefined) return undefined;
  const auth = error === undefined ? getJambonzAuthContext(request) : undefined;
  return {
    transport: 'http',
    route,
    method: request.method ?? '',
    outcome: error === undefined ? 'accepted' : 'refused',
    reasons,
    auth,
    skew: skewOf(request, auth, now),
    duration: (performance.now() - started) / 1000,
  };
}

function reasonsOf(error: unknown): readonly JambonzDecisionReason[] | undefined {
  if (error instanceof JambonzUnauthorizedException) return error.reasons;
  if (error instanceof JambonzReplayException) return [error.reason];
  const reason = (error as { [DECISION_REASON]?: JambonzDecisionReason } | undefined)?.[DECISION_REASON];
  if (reason !== undefined) return [reason];
  return undefined;
}

/** Seconds between now and the signature's `t` (positive: `t` is in the past), when the header parses. */
function skewOf(request: WebhookRequest, auth: JambonzAuthContext | undefined, now: number): number | undefined {
  if (auth?.timestamp !== undefined) return now - auth.timestamp;
  try {
    return now - parseSignatureHeader(request.headers[SIGNATURE_HEADER]).timestamp;
  } catch {
    return undefined;
  }
}

/**
 * The decision `JambonzWsAdapter` made about a WebSocket upgrade to a jambonz gateway, for the
 * observer. The route is the gateway's path; `auth` names the credential set and the pair that
 * matched (`undefined` when refused, and on an endpoint declared open, which checks none).
 *
 * @param started `performance.now()` when the adapter began deciding, in milliseconds.
 */
export function upgradeDecision(decision: JambonzUpgradeDecision, started: number): JambonzAuthDecision {
  const auth: JambonzAuthContext | undefined =
    decision.accepted && decision.credentialSet !== undefined
      ? {
          verifiedBy: 'basic',
          timestamp: undefined,
          secretSet: undefined,
          secretIndex: undefined,
          username: decision.username,
          credentialSet: decision.credentialSet,
          credentialIndex: decision.credentialIndex,
          accountSid: undefined,
          bodySource: undefined,
        }
      : undefined;
  return {
    transport: 'websocket',
    route: decision.path,
    method: 'GET',
    outcome: decision.accepted ? 'accepted' : 'refused',
    reasons: decision.reason === undefined ? [] : [decision.reason],
    auth,
    skew: undefined,
    duration: (performance.now() - started) / 1000,
  };
}
