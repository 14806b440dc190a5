import type { CallHookPayload } from './call-hook.js';
import type { CallStatusPayload } from './call-status.js';
import type { JambonzCallDirection, JambonzCallStatus } from './common.js';
import type { LlmToolCallPayload } from './llm.js';
import type { JambonzVerbList } from './verbs.js';

/**
 * Types of the frames of jambonz's WebSocket API (an application whose call hook is a `ws://`
 * or `wss://` URL) and of its audio streams (`listen` and `stream` verbs).
 *
 * Source: feature server `lib/utils/ws-requestor.js` (frames and acks), `lib/session/call-session.js`
 * (`_onCommand`: the commands), `lib/utils/constants.json` (`HookMsgTypes`), `lib/tasks/listen.js`
 * (the audio metadata). The `data` of a frame is built like a webhook body: snake_case keys, except
 * inside `customerData`, `sip`, `env_vars` and `args`.
 */

/**
 * The `type` of a frame jambonz sends (`HookMsgTypes`). `session:*`, `verb:hook`, `dial:confirm`
 * and `queue:status` wait 5 s for an {@link JambonzAckMessage}; the others take no answer.
 */
export type JambonzWsMessageType =
  | 'session:new'
  | 'session:reconnect'
  | 'session:redirect'
  | 'session:adulting'
  | 'call:status'
  | 'queue:status'
  | 'dial:confirm'
  | 'verb:hook'
  | 'verb:status'
  | 'llm:event'
  | 'llm:tool-call'
  | 'jambonz:error';

/**
 * One frame jambonz sends over the WebSocket API: JSON text
 * `{ type, msgid, call_sid, hook?, data, b3? }`.
 *
 * @typeParam T the frame's `type`.
 * @typeParam D its `data`.
 */
export interface JambonzWsMessage<T extends string = JambonzWsMessageType, D = Record<string, unknown>> {
  /** What happened: `session:new`, `verb:hook`... */
  type: T;
  /** jambonz's id of this frame (a short uuid); an ack answers with the same `msgid`. */
  msgid: string;
  /** The call the frame is about (absent on the very first `session:new` of some versions). */
  call_sid?: string;
  /**
   * The hook the frame stands for, as the verb named it (`/gather-done`): on `verb:hook`,
   * `dial:confirm`, `session:redirect`, `llm:event` and `llm:tool-call` only.
   */
  hook?: string;
  /** The payload an HTTP webhook of the same kind would carry as its body. */
  data: D;
  /** B3 tracing header value, when jambonz traces the call. */
  b3?: string;
}

/** `session:new`: a new call; its `data` is what an HTTP call hook gets. Ack it with the verbs that run the call. */
export type SessionNewMessage = JambonzWsMessage<'session:new', CallHookPayload>;

/**
 * `session:reconnect`: jambonz lost the socket (closed with a code other than 1000), opened a
 * new one with the same credentials, and sends the data of the original `session:new` again.
 * Ack it; verbs in the ack replace the call's remaining ones.
 */
export type SessionReconnectMessage = JambonzWsMessage<'session:reconnect', CallHookPayload>;

/**
 * `verb:hook`: a verb's action hook (`actionHook` of gather, dial...) fired; `hook` names it and
 * `data` is what the HTTP action hook would get (a `GatherActionPayload`...). Ack it with the
 * verbs that continue the call, or with no data to carry on.
 *
 * @typeParam D the action's payload.
 */
export type VerbHookMessage<D = Record<string, unknown>> = JambonzWsMessage<'verb:hook', D> & {
  /** The action hook, as the verb named it (`/gather-done`). */
  hook: string;
};

/** `call:status`: the call's status changed. Takes no answer. */
export type CallStatusMessage = JambonzWsMessage<'call:status', CallStatusPayload>;

/**
 * `llm:tool-call`: the `llm` verb's model calls a tool; `hook` is the verb's `toolHook`. Takes no
 * ack: answer with the command `llm:tool-output` carrying `tool_call_id`.
 */
export type LlmToolCallMessage = JambonzWsMessage<'llm:tool-call', LlmToolCallPayload> & {
  /** The `llm` verb's `toolHook`. */
  hook: string;
};

/**
 * The app's answer to a frame that waits for one: `{ type: 'ack', msgid, data? }`. `data` is the
 * verb array to run (for `session:new` a call without verbs fails: "no application provided").
 */
export interface JambonzAckMessage {
  /** Always `'ack'`. */
  type: 'ack';
  /** The `msgid` of the frame acknowledged. */
  msgid: string;
  /** The verbs, when the ack carries any. */
  data?: JambonzVerbList;
}

/**
 * Commands the feature server acts on (`lib/session/call-session.js`, `_onCommand`), plus the
 * TTS streaming ones. Any other string is sent as it is, and logged by jambonz as invalid.
 */
export type JambonzCommandName =
  | 'redirect'
  | 'call:status'
  | 'config'
  | 'dial'
  | 'dub'
  | 'record'
  | 'mute:status'
  | 'conf:mute-status'
  | 'conf:hold-status'
  | 'conf:participant-action'
  | 'listen:status'
  | 'transcribe:status'
  | 'whisper'
  | 'sip:request'
  | 'dtmf'
  | 'boostAudioSignal'
  | 'media:path'
  | 'llm:tool-output'
  | 'llm:update'
  | 'tts:tokens'
  | 'tts:flush'
  | 'tts:clear'
  | (string & {});

/**
 * A command the app sends at any time: `{ type: 'command', command, queueCommand?, callSid?,
 * tool_call_id?, data? }`. jambonz refuses a command without `data`, except `llm:tool-output`,
 * `tts:flush` and `tts:clear`.
 */
export interface JambonzCommandMessage {
  /** Always `'command'`. */
  type: 'command';
  /** What to do: `redirect` (new verbs), `llm:tool-output`, `call:status` (hang up)... */
  command: JambonzCommandName;
  /** `redirect` only: append the verbs after the current ones instead of replacing them. */
  queueCommand?: boolean;
  /** Another call of the session (a dialled leg); camelCase, as jambonz reads it. Default: the socket's call. */
  callSid?: string;
  /** `llm:tool-output` only: the `tool_call_id` of the tool call answered. */
  tool_call_id?: string;
  /** The command's argument: the verbs of `redirect`, the tool's result... */
  data?: unknown;
}

/**
 * The first frame of an audio stream (`listen` or `stream` verb, FreeSWITCH's mod_audio_fork):
 * JSON text with the audio format, the call's details in camelCase (the feature server's
 * `CallInfo.toJSON()`) and the verb's own `metadata` merged in. Binary frames of 16-bit linear
 * PCM (little-endian, `sampleRate` Hz) follow.
 *
 * Source: feature server `lib/tasks/listen.js` (`_startListening`).
 */
export interface JambonzAudioMetadata {
  /** Samples per second of the audio that follows: the verb's `sampleRate`, default 8000. */
  sampleRate: number;
  /** `mono` (the caller), `stereo` (caller left, callee right) or `mixed`; the verb's `mixType`, default `mono`. */
  mixType: 'mono' | 'stereo' | 'mixed' | (string & {});
  /** The call whose audio this is. */
  callSid: string;
  /** `inbound` or `outbound`. */
  direction?: JambonzCallDirection;
  /** Calling number or SIP user. */
  from?: string;
  /** Called number or SIP user. */
  to?: string;
  /** SIP Call-ID of the call's leg on the feature server. */
  callId?: string;
  /** Account of the call. */
  accountSid?: string;
  /** Application of the call. */
  applicationSid?: string;
  /** Status of the call when the stream started. */
  callStatus?: JambonzCallStatus;
  /** Last SIP status of the call. */
  sipStatus?: number;
  /** Other call details, and the verb's `metadata`, as sent. */
  [key: string]: unknown;
}
