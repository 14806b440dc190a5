import type { JambonzCallInfo, JambonzCallState, JambonzEnvVars, JambonzSipMessage, JambonzSpeechDefaults } from './common.js';

/**
 * Body of the application's call hook (`call_hook`): the first request of a call, which
 * answers the JSON array of verbs that runs the call.
 *
 * Two kinds of call send it, with different sets of fields (`direction` tells them apart):
 * - a new **inbound** call (feature server `lib/middleware.js`, `invokeWebCallback`): the
 *   fields of {@link JambonzCallInfo} plus `sip` (the whole INVITE), `caller_name`,
 *   `has_recording`, `local_sip_address`, `public_ip`, `service_provider_sid`, `defaults` and
 *   `env_vars`; `sip_status` is 100 and `call_status` `trying`;
 * - an **outbound** call created through the REST API, once answered (feature server
 *   `lib/tasks/rest_dial.js`): the fields of {@link JambonzCallState} (`fs_sip_address`,
 *   `customerData` from the request's `tag`, `api_base_url`...) plus `defaults` and
 *   `env_vars`; `call_status` is `in-progress`.
 *
 * The same call information (a {@link JambonzCallState}) also reaches a call hook when the
 * REST API moves a live call to a new `call_hook` (`session:redirect`), when the `dial` verb's
 * `confirmHook` runs on the answered leg (`dial:confirm`), and with `parent_call_info` when a
 * dialled leg becomes a call of its own (`session:adulting`).
 */
export interface CallHookPayload extends JambonzCallInfo {
  /**
   * The INVITE that started the call. Inbound calls only, and only when the call hook's
   * method is POST (or websocket): a GET hook gets no body at all.
   */
  sip?: JambonzSipMessage;
  /** Display name of the caller from the INVITE's From header; `''` when there was none. Inbound only. */
  caller_name?: string;
  /** Whether the call is being recorded; `false` when the call hook of an inbound call is sent. Inbound only. */
  has_recording?: boolean;
  /** `host:port` of the feature server's SIP interface (the inbound counterpart of `fs_sip_address`). Inbound only. */
  local_sip_address?: string;
  /** Public IP address of the feature server, when it has one (the inbound counterpart of `fs_public_ip`). Inbound only. */
  public_ip?: string;
  /** The jambonz service provider the account belongs to (UUID). Inbound only. */
  service_provider_sid?: string;
  /**
   * The two parties of a SIPREC session (an inbound INVITE that carries recording metadata).
   * Inbound SIPREC calls only (feature server `lib/session/call-info.js`).
   */
  participants?: JambonzSiprecParticipant[];
  /**
   * The application's speech settings. Sent with the first call hook of inbound calls and of
   * REST calls; absent in the other cases listed above.
   */
  defaults?: JambonzSpeechDefaults;
  /** The application's environment variables, when it has any. Keys exactly as defined. */
  env_vars?: JambonzEnvVars;
  /** `host:port` of the feature server's SIP interface. REST (outbound) calls. */
  fs_sip_address?: string;
  /** Public IP address of the feature server, when it has one. REST (outbound) calls. */
  fs_public_ip?: string;
  /**
   * Base URL of the jambonz REST API, for live call control. REST (outbound) calls, when the
   * feature server is configured with `JAMBONES_API_BASE_URL`.
   */
  api_base_url?: string;
  /** Caller id of a dialled leg (`dial:confirm`, `session:redirect` of a child call, `session:adulting`). */
  caller_id?: string;
  /** `call_sid` of the call that dialled this leg (same cases as {@link caller_id}). */
  parent_call_sid?: string;
  /**
   * The call that placed this leg, when a leg of a `dial` verb becomes a call of its own and
   * jambonz asks the application for its verbs (`session:adulting`, feature server
   * `lib/utils/place-outdial.js`).
   */
  parent_call_info?: JambonzCallState;
}

/** One party of a SIPREC recording session, from the Request-URI and From of the INVITE. */
export interface JambonzSiprecParticipant {
  /**
   * Which party this is: `caller` (taken from the INVITE's calling number) or `callee` (from
   * its called number). jambonz sends one of each (feature server `lib/session/call-info.js`).
   */
  participant: 'caller' | 'callee';
  /** User part of the party's URI (usually the phone number). */
  uri_user?: string;
  /** Host part of the party's URI. */
  uri_host?: string;
}
