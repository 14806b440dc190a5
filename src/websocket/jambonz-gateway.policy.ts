import type { BasicCredentialsVerifier } from '../core/index.js';
import { JambonzAuthConfigError } from '../jambonz-auth-config.error.js';
import type { JambonzAuthConfig } from '../jambonz-auth.config.js';
import { DEFAULT_SET } from '../jambonz-auth.constants.js';
import type { ValidatedGatewayOptions } from '../jambonz-auth-options.rules.js';
import { pickCredentialSet } from '../jambonz-route.policy.js';
import { basicChallenge } from '../jambonz-unauthorized.exception.js';
import { AUDIO_FORK_MAX_FRAME_BYTES, JAMBONZ_SUBPROTOCOLS, type JambonzEndpointKind } from './jambonz-ws.constants.js';

/**
 * What `@JambonzGateway()` records about a gateway, inside the options it gives
 * `@WebSocketGateway()`: its options, validated, and the name of the class it decorates.
 */
export interface JambonzGatewayDeclaration extends ValidatedGatewayOptions {
  /** The gateway's class name, for messages. */
  readonly gateway: string;
}

/**
 * What one jambonz gateway requires, resolved once at bootstrap from its declaration and the
 * module's configuration: what `JambonzWsAdapter` checks on each upgrade and applies to each
 * connection.
 */
export interface JambonzGatewayPolicy {
  /** The gateway's class name. */
  readonly gateway: string;
  /** The endpoint's path, normalised (`/ws`). */
  readonly path: string;
  /** Its port; 0 for the application's own server. */
  readonly port: number;
  /** `api` or `audio`. */
  readonly kind: JambonzEndpointKind;
  /** The credentials an upgrade must carry; `undefined` for an endpoint declared `open`. */
  readonly credentials: BasicCredentialsVerifier | undefined;
  /** The name of their set (`'default'` for `basicAuth`); `undefined` when open. */
  readonly credentialSet: string | undefined;
  /** The subprotocols the endpoint accepts, the server's preference first. */
  readonly protocols: readonly string[];
  /** Largest incoming frame, in bytes (`ws`'s `maxPayload`). */
  readonly maxIncomingFrameBytes: number;
  /** Largest outgoing frame, in bytes: jambonz's limit for the API, the audio fork's for audio. */
  readonly maxOutgoingFrameBytes: number;
  /** The `WWW-Authenticate` value of a 401. */
  readonly challenge: string;
}

/**
 * Lays a gateway's declaration over the module's configuration.
 *
 * @throws JambonzAuthConfigError when the gateway names a credential set the module does not
 *   have (listing those it has), or names none while the module has no `basicAuth` and the
 *   gateway is not declared `open`: nothing else can authenticate a socket (jambonz signs
 *   nothing on it).
 */
export function createGatewayPolicy(config: JambonzAuthConfig, declaration: JambonzGatewayDeclaration): JambonzGatewayPolicy {
  const where = `${declaration.gateway} (@JambonzGateway() at ${declaration.path})`;
  const picked = declaration.open === true ? undefined : pickCredentialSet(config, declaration.credentials, where);
  if (declaration.open !== true && picked === undefined) {
    throw new JambonzAuthConfigError(
      `${where} has no credentials to check, and jambonz signs nothing on a socket: Basic credentials on the upgrade are the ` +
        `only proof that jambonz is calling. Set basicAuth in JambonzAuthModule's options (the set '${DEFAULT_SET}', the call ` +
        "hook's credentials), or name a set of namedCredentials with { credentials: 'name' }, or declare the endpoint " +
        'open with { open: true } if anyone who reaches it may connect.',
    );
  }
  return {
    gateway: declaration.gateway,
    path: declaration.path,
    port: declaration.port,
    kind: declaration.kind,
    credentials: picked?.verifier,
    credentialSet: picked?.name,
    protocols: JAMBONZ_SUBPROTOCOLS[declaration.kind],
    maxIncomingFrameBytes: declaration.maxIncomingFrameBytes ?? config.websocket.maxIncomingFrameBytes,
    maxOutgoingFrameBytes: declaration.kind === 'api' ? config.websocket.maxOutgoingFrameBytes : AUDIO_FORK_MAX_FRAME_BYTES,
    challenge: basicChallenge(config.realm),
  };
}
