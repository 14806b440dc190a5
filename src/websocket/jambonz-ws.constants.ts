/*
 * The facts of jambonz's WebSocket connections, and the keys this package leaves on objects Nest
 * and `ws` hand around. Nothing here imports Nest or `ws`: `nestjs-jambonz-auth/testing` and the
 * CLI use these constants too. Keys are registered symbols (`Symbol.for`), never `Symbol()`, so
 * that the ESM and CommonJS builds of this package agree on them in one process.
 */

/** Which jambonz connection a gateway serves: `'api'` (the WebSocket API) or `'audio'` (an audio stream). */
export type JambonzEndpointKind = 'api' | 'audio';

/**
 * The subprotocol jambonz offers when it opens a WebSocket API connection (feature server
 * `lib/utils/ws-requestor.js`). The server must select it: jambonz's `ws` client drops a
 * handshake that selects none ("Server sent no subprotocol").
 */
export const JAMBONZ_API_SUBPROTOCOL = 'ws.jambonz.org';

/**
 * The subprotocols FreeSWITCH's audio fork offers for the `listen` and `stream` verbs:
 * `audio.jambonz.org` on jambonz's images (`MOD_AUDIO_FORK_SUBPROTOCOL_NAME`), `audio.drachtio.org`
 * the module's default (mod_audio_fork `lws_glue.cpp`). An audio gateway accepts both.
 */
export const JAMBONZ_AUDIO_SUBPROTOCOLS: readonly string[] = Object.freeze(['audio.jambonz.org', 'audio.drachtio.org']);

/** The subprotocols each kind of endpoint accepts, in the order the server prefers them. */
export const JAMBONZ_SUBPROTOCOLS: Readonly<Record<JambonzEndpointKind, readonly string[]>> = Object.freeze({
  api: Object.freeze([JAMBONZ_API_SUBPROTOCOL]),
  audio: JAMBONZ_AUDIO_SUBPROTOCOLS,
});

/**
 * The frame types for which jambonz waits for `{ type: 'ack', msgid }`: every `HookMsgTypes`
 * entry (feature server `lib/utils/constants.json`) except the no-ack list of
 * `lib/utils/ws-requestor.js` (`call:status`, `verb:status`, `jambonz:error`, `llm:event`,
 * `llm:tool-call`...). jambonz waits 5 s (`JAMBONES_WS_API_MSG_RESPONSE_TIMEOUT`), then fails
 * the request as a webhook that did not answer.
 */
export const JAMBONZ_ACK_TYPES: ReadonlySet<string> = new Set([
  'session:new',
  'session:reconnect',
  'session:redirect',
  'session:adulting',
  'verb:hook',
  'dial:confirm',
  'queue:status',
]);

/** How long jambonz waits for an ack, in milliseconds (`JAMBONES_WS_API_MSG_RESPONSE_TIMEOUT` default). */
export const JAMBONZ_ACK_TIMEOUT_MS = 5000;

/**
 * How long jambonz gives the WebSocket handshake, in milliseconds
 * (`JAMBONES_WS_HANDSHAKE_TIMEOUT_MS` default, feature server `lib/config.js`).
 */
export const JAMBONZ_HANDSHAKE_TIMEOUT_MS = 1500;

/**
 * The largest frame jambonz's client accepts from the application, in bytes: 24 KiB
 * (`JAMBONES_WS_MAX_PAYLOAD` default). A larger frame makes it close the socket with 1009 and
 * reconnect. The default of the module's `websocket.maxOutgoingFrameBytes`.
 */
export const JAMBONZ_MAX_FRAME_BYTES = 24 * 1024;

/**
 * The largest message mod_audio_fork receives from the application over an audio stream, in
 * bytes (`MAX_RECV_BUF_SIZE`, 65 * 1024 * 10, `audio_pipe.cpp`).
 */
export const AUDIO_FORK_MAX_FRAME_BYTES = 65 * 1024 * 10;

/**
 * Default bound on an incoming frame, in bytes: 1 MiB, as `maxBodyBytes` bounds a webhook body.
 * The largest frames jambonz sends are a `session:new` with a whole SIP INVITE and LLM or
 * speech-to-text vendor events, tens of KiB at most.
 */
export const DEFAULT_MAX_INCOMING_FRAME_BYTES = 1024 * 1024;

/**
 * The events an audio gateway's handlers subscribe to, with `@SubscribeMessage()`: an audio
 * stream carries no event names, so the adapter names what arrives.
 * - `Metadata` (`'audio:metadata'`): the first frame, JSON text (a `JambonzAudioMetadata`);
 * - `Frame` (`'audio:frame'`): each binary frame of audio, as a `Buffer`;
 * - `Message` (`'audio:message'`): each later text frame, parsed (`{ event: 'dtmf', dtmf, duration }`
 *   with `passDtmf`, `{ type: 'playDone', data }` after a `playAudio`).
 */
export const JambonzAudioEvent = Object.freeze({
  /** The first frame, JSON text: a `JambonzAudioMetadata`. */
  Metadata: 'audio:metadata',
  /** Each binary frame of audio, as a `Buffer`. */
  Frame: 'audio:frame',
  /** Each later text frame, parsed JSON. */
  Message: 'audio:message',
} as const);

/** One of {@link JambonzAudioEvent}'s values. */
export type JambonzAudioEventName = (typeof JambonzAudioEvent)[keyof typeof JambonzAudioEvent];

/**
 * Key of the gateway's declaration: inside the options `@JambonzGateway()` gives
 * `@WebSocketGateway()`, and as class metadata of its own, which a later `@WebSocketGateway()`
 * cannot replace (so that the adapter can tell a jambonz gateway whose options were replaced).
 */
export const JAMBONZ_GATEWAY = Symbol.for('nestjs-jambonz-auth:gateway');

/** Property of an upgrade request (`IncomingMessage`) holding the accepted upgrade's decision. */
export const JAMBONZ_UPGRADE = Symbol.for('nestjs-jambonz-auth:upgrade');

/** Property of a `ws` client holding its `JambonzWsConnection`. */
export const JAMBONZ_WS_CONNECTION = Symbol.for('nestjs-jambonz-auth:ws-connection');

/** Brand of the per-message outcome the adapter passes to a handler, read by `JambonzReplyInterceptor`. */
export const JAMBONZ_MESSAGE_OUTCOME = Symbol.for('nestjs-jambonz-auth:message-outcome');
