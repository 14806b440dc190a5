import { isJambonzAuthError, type JambonzAuthReason } from '../core/index.js';
import type { JambonzGatewayPolicy } from './jambonz-gateway.policy.js';
import type { JambonzEndpointKind } from './jambonz-ws.constants.js';

/**
 * What was decided about one WebSocket upgrade to a jambonz gateway, accepted or refused. Names
 * the credential set and the position of the pair that matched, never a password.
 */
export interface JambonzUpgradeDecision {
  /** The upgrade completes (101) and the gateway gets the connection. */
  readonly accepted: boolean;
  /**
   * The HTTP status of the answer: 101; 401 (with `WWW-Authenticate: Basic`) for missing,
   * malformed or wrong credentials; 400 when the client does not offer the endpoint's subprotocol.
   */
  readonly status: 101 | 400 | 401;
  /** Why it was refused; `undefined` when accepted. */
  readonly reason: JambonzAuthReason | undefined;
  /** The gateway's class name. */
  readonly gateway: string;
  /** The gateway's path. */
  readonly path: string;
  /** `api` or `audio`. */
  readonly kind: JambonzEndpointKind;
  /** The credential set checked (`'default'` for `basicAuth`); `undefined` for an open endpoint. */
  readonly credentialSet: string | undefined;
  /** The position of the pair that matched in its set (0 for the first); `undefined` unless it matched. */
  readonly credentialIndex: number | undefined;
  /** The username that matched; `undefined` unless credentials matched. */
  readonly username: string | undefined;
  /** The subprotocol selected; `undefined` unless accepted. */
  readonly protocol: string | undefined;
  /** The subprotocols the client offered, as sent (client input: neutralise before logging). */
  readonly offered: readonly string[];
}

/** The headers of an upgrade request that the decision reads, as Node delivers them. */
export interface UpgradeHeaders {
  /** `Authorization`. */
  readonly authorization?: string | undefined;
  /** `Sec-WebSocket-Protocol`: the subprotocols offered, comma-separated (Node joins repeated headers with `, `). */
  readonly 'sec-websocket-protocol'?: string | undefined;
}

/**
 * Decides an upgrade to a jambonz gateway: its credentials first (constant-time, against the
 * gateway's set), so that a caller without them learns nothing about the endpoint and always
 * gets the 401 challenge; then the subprotocol, which jambonz always offers.
 *
 * @throws whatever the credentials verifier throws that is not a `JambonzAuthError` (a bug:
 *   never a pass).
 */
export function decideUpgrade(policy: JambonzGatewayPolicy, headers: UpgradeHeaders): JambonzUpgradeDecision {
  const offered = offeredProtocols(headers['sec-websocket-protocol']);
  const refused = (status: 400 | 401, reason: JambonzAuthReason): JambonzUpgradeDecision => ({
    ...about(policy, offered),
    accepted: false,
    status,
    reason,
  });
  let match: { readonly username: string; readonly index: number } | undefined;
  if (policy.credentials) {
    try {
      match = policy.credentials.verifyIndex(headers.authorization);
    } catch (error) {
      if (!isJambonzAuthError(error)) throw error;
      return refused(401, error.reason);
    }
  }
  const protocol = policy.protocols.find((accepted) => offered.includes(accepted));
  if (protocol === undefined) {
    return refused(400, 'subprotocol_mismatch');
  }
  return {
    ...about(policy, offered),
    accepted: true,
    status: 101,
    reason: undefined,
    credentialIndex: match?.index,
    username: match?.username,
    protocol,
  };
}

/** The subprotocols in a `Sec-WebSocket-Protocol` header, in order (`ws` has checked its syntax already). */
export function offeredProtocols(header: string | undefined): string[] {
  return typeof header === 'string'
    ? header
        .split(',')
        .map((protocol) => protocol.trim())
        .filter((protocol) => protocol !== '')
    : [];
}

function about(
  policy: JambonzGatewayPolicy,
  offered: readonly string[],
): Omit<JambonzUpgradeDecision, 'accepted' | 'status' | 'reason'> {
  return {
    gateway: policy.gateway,
    path: policy.path,
    kind: policy.kind,
    credentialSet: policy.credentialSet,
    credentialIndex: undefined,
    username: undefined,
    protocol: undefined,
    offered,
  };
}
