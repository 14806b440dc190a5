import type { JambonzAudioMetadata, JambonzCommandMessage, JambonzCommandName } from '../payloads/index.js';
import { JambonzFrameTooLargeError } from './jambonz-frame-too-large.error.js';
import type { JambonzGatewayPolicy } from './jambonz-gateway.policy.js';
import type { JambonzUpgradeDecision } from './jambonz-upgrade.decision.js';
import { JAMBONZ_WS_CONNECTION, type JambonzEndpointKind } from './jambonz-ws.constants.js';

/**
 * What authenticated a jambonz WebSocket connection, decided on its upgrade. Names the set and
 * the position of the pair that matched, never a password.
 */
export interface JambonzWsAuth {
  /** `basic`: Basic credentials were verified; `none`: the endpoint is declared `open`. */
  readonly verifiedBy: 'basic' | 'none';
  /** The username that matched; `undefined` on an open endpoint. */
  readonly username: string | undefined;
  /** The credential set that matched (`'default'` for `basicAuth`); `undefined` on an open endpoint. */
  readonly credentialSet: string | undefined;
  /** The position of the matching pair in its set (0 for the first; 1 and up during a rotation). */
  readonly credentialIndex: number | undefined;
}

/** Options of {@link JambonzWsConnection.command}. */
export interface JambonzCommandOptions {
  /** `redirect` only: append the verbs after the current ones instead of replacing them (`queueCommand`). */
  readonly queueCommand?: boolean;
  /** Address another call of the session, such as a dialled leg (`callSid`). Default: the socket's call. */
  readonly callSid?: string;
  /** `llm:tool-output` only: the `tool_call_id` of the tool call answered. */
  readonly toolCallId?: string;
}

/** The part of a `ws` WebSocket a connection uses (structural: no type of `ws` is public). */
export interface JambonzSocket {
  /** 1 while open. */
  readonly readyState: number;
  /** Sends a text (string) or binary frame. */
  send(data: string | Uint8Array): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
}

/** The readiness of an open `ws` WebSocket (`WebSocket.OPEN`). */
const OPEN = 1;

/**
 * One authenticated connection of jambonz to a `@JambonzGateway()`: what authenticated it, the
 * call it carries, and typed ways to answer. `JambonzWsAdapter` attaches it to the socket before
 * the gateway's `handleConnection` runs. A handler gets it with `@JambonzConnection()`; anything
 * holding the socket, with `JambonzWsConnection.of(client)`.
 *
 * Every send is measured first: a frame over the far end's limit throws
 * {@link JambonzFrameTooLargeError} and nothing is sent.
 */
export class JambonzWsConnection {
  /** Brand, checked by {@link JambonzWsConnection.of} instead of `instanceof` (the ESM and CommonJS builds may both be loaded). */
  readonly [JAMBONZ_WS_CONNECTION] = true;
  /** What authenticated the connection. */
  readonly auth: JambonzWsAuth;
  /** The subprotocol selected on the upgrade. */
  readonly protocol: string;
  /** `api` or `audio`. */
  readonly kind: JambonzEndpointKind;
  /** The gateway's path. */
  readonly path: string;
  /** The gateway's class name. */
  readonly gateway: string;
  /** Largest frame this connection sends, in bytes. */
  readonly maxOutgoingFrameBytes: number;
  private currentCallSid: string | undefined;
  private audioMetadata: JambonzAudioMetadata | undefined;

  /**
   * Built by `JambonzWsAdapter` for each accepted upgrade.
   * @param socket the `ws` client.
   * @param settings the gateway's class name, path, kind and outgoing frame limit.
   * @param decision the upgrade's accepted decision.
   */
  constructor(
    private readonly socket: JambonzSocket,
    settings: Pick<JambonzGatewayPolicy, 'gateway' | 'path' | 'kind' | 'maxOutgoingFrameBytes'>,
    decision: JambonzUpgradeDecision,
  ) {
    this.kind = settings.kind;
    this.path = settings.path;
    this.gateway = settings.gateway;
    this.maxOutgoingFrameBytes = settings.maxOutgoingFrameBytes;
    this.protocol = decision.protocol ?? '';
    this.auth = Object.freeze({
      verifiedBy: decision.credentialSet === undefined ? 'none' : 'basic',
      username: decision.username,
      credentialSet: decision.credentialSet,
      credentialIndex: decision.credentialIndex,
    });
  }

  /**
   * The connection `JambonzWsAdapter` attached to a `ws` client, or `undefined` for a client of
   * another gateway (or anything else).
   */
  static of(client: unknown): JambonzWsConnection | undefined {
    const connection = (client as { [JAMBONZ_WS_CONNECTION]?: { [JAMBONZ_WS_CONNECTION]?: unknown } } | null | undefined)?.[
      JAMBONZ_WS_CONNECTION
    ];
    return connection?.[JAMBONZ_WS_CONNECTION] === true ? (connection as JambonzWsConnection) : undefined;
  }

  /**
   * The call this connection carries: `call_sid` of the WebSocket API's `session:new` (or
   * `session:reconnect`), `callSid` of an audio stream's metadata; `undefined` before either.
   */
  get callSid(): string | undefined {
    return this.currentCallSid;
  }

  /** Audio streams: the first frame's metadata; `undefined` before it, and on the WebSocket API. */
  get metadata(): JambonzAudioMetadata | undefined {
    return this.audioMetadata;
  }

  /**
   * Records the call of the connection (from `session:new` or the audio metadata).
   * @internal
   */
  recordCall(callSid: string | undefined, metadata?: JambonzAudioMetadata): void {
    if (callSid !== undefined) this.currentCallSid = callSid;
    if (metadata !== undefined) this.audioMetadata = metadata;
  }

  /**
   * Acknowledges a frame that waits for it: `{ type: 'ack', msgid, data? }`. A handler's return
   * value does this already; call it from a handler that takes `@Ack()` or answers later.
   * @param data the verbs to run, when the ack carries any.
   * @returns `false` when the socket is no longer open (nothing sent).
   * @throws JambonzFrameTooLargeError when the ack is over the limit.
   */
  ack(msgid: string, data?: unknown): boolean {
    return this.sendJson(data === undefined ? { type: 'ack', msgid } : { type: 'ack', msgid, data });
  }

  /**
   * Sends a command: `{ type: 'command', command, queueCommand?, callSid?, tool_call_id?, data? }`
   * (`redirect` with new verbs, `llm:tool-output` with a tool's result...).
   * @returns `false` when the socket is no longer open (nothing sent).
   * @throws JambonzFrameTooLargeError when the command is over the limit; TypeError on an audio
   *   stream, which takes no commands.
   */
  command(command: JambonzCommandName, data?: unknown, options: JambonzCommandOptions = {}): boolean {
    if (this.kind !== 'api') {
      throw new TypeError('JambonzWsConnection.command: commands go over the WebSocket API, not over an audio stream');
    }
    const frame: JambonzCommandMessage = {
      type: 'command',
      command,
      ...(options.queueCommand !== undefined && { queueCommand: options.queueCommand }),
      ...(options.callSid !== undefined && { callSid: options.callSid }),
      ...(options.toolCallId !== undefined && { tool_call_id: options.toolCallId }),
      ...(data !== undefined && { data }),
    };
    return this.sendJson(frame);
  }

  /**
   * Sends one JSON text frame, after checking its size (UTF-8 bytes of `JSON.stringify(frame)`).
   * @returns `false` when the socket is no longer open (nothing sent).
   * @throws JambonzFrameTooLargeError over the limit; whatever `JSON.stringify` throws (a BigInt, a cycle).
   */
  sendJson(frame: object): boolean {
    const text = JSON.stringify(frame);
    return this.send(text, Buffer.byteLength(text, 'utf8'));
  }

  /**
   * Audio streams: sends audio back (bidirectional streams), one binary frame.
   * @returns `false` when the socket is no longer open (nothing sent).
   * @throws JambonzFrameTooLargeError over the audio fork's limit; TypeError on the WebSocket API,
   *   whose client reads every frame as JSON text.
   */
  sendAudio(chunk: Uint8Array): boolean {
    if (this.kind !== 'audio') {
      throw new TypeError('JambonzWsConnection.sendAudio: binary audio goes over an audio stream, not over the WebSocket API');
    }
    return this.send(chunk, chunk.byteLength);
  }

  /**
   * Closes the connection. Code 1000 (the default) tells jambonz the app is done with the call's
   * socket; any other code makes jambonz reconnect and send `session:reconnect`.
   */
  close(code = 1000, reason?: string): void {
    this.socket.close(code, reason);
  }

  private send(data: string | Uint8Array, size: number): boolean {
    if (size > this.maxOutgoingFrameBytes) {
      throw new JambonzFrameTooLargeError(size, this.maxOutgoingFrameBytes, this.kind === 'api' ? 'jambonz' : 'mod_audio_fork');
    }
    if (this.socket.readyState !== OPEN) return false;
    this.socket.send(data);
    return true;
  }
}
