/**
 * Building blocks shared by the jambonz webhook payload types.
 *
 * How jambonz builds a body (feature server, `lib/utils/http-requestor.js`): it takes the
 * parameters of the request and renames every key, at every depth, to snake_case
 * (`lib/utils/snakecase-keys.js`), except keys named `customerData`, `sip`, `env_vars` and
 * `args`, whose values are passed through as they are. Keys whose value is `undefined` vanish
 * in `JSON.stringify`, which is why so many fields below are optional.
 *
 * Types only: nothing here exists at run time, and nothing checks a body against them. A
 * verified signature proves who sent a body, not that it has this shape.
 */

/**
 * State of a call (feature server `lib/utils/constants.json`, `CallStatus`):
 * - `trying`: a new inbound call has arrived, or an outbound INVITE has just been sent;
 * - `ringing`: the called party is being alerted (180);
 * - `early-media`: the far end sent early media (183 with SDP);
 * - `in-progress`: answered;
 * - `completed`: answered and since ended;
 * - `failed`, `busy`, `no-answer`: not answered (a caller who cancels a ringing inbound call
 *   is reported as `no-answer`, SIP 487);
 * - `queued`: held in a queue (enqueue verb).
 */
export type JambonzCallStatus =
  'trying' | 'ringing' | 'early-media' | 'in-progress' | 'completed' | 'failed' | 'busy' | 'no-answer' | 'queued';

/**
 * `inbound`: the call came into jambonz (the A leg). `outbound`: jambonz placed it, either
 * through the REST API or as the B leg of a `dial` verb.
 */
export type JambonzCallDirection = 'inbound' | 'outbound';

/**
 * Which side ended the call (feature server `lib/session/inbound-call-session.js`,
 * `rest-call-session.js`, `adulting-call-session.js`): `caller` when the remote party hung up
 * (or cancelled before answer), `jambonz` when the application or jambonz did (hangup verb,
 * REST API, max call duration, media timeout...).
 */
export type JambonzCallTerminationBy = 'caller' | 'jambonz';

/**
 * Values of an application's environment variables, as typed in the application's variable
 * schema (string, number or boolean) and set in the jambonz portal. Sent under `env_vars`, keys
 * unchanged (feature server `lib/middleware.js`, `lib/tasks/rest_dial.js`).
 */
export type JambonzEnvVars = Record<string, string | number | boolean>;

/**
 * Data attached to a call by the application: the `tag` of a REST `createCall` request or of
 * a `dial` verb, or the `tag` verb. Sent under `customerData` exactly as given (keys are not
 * snake_cased), on every webhook after it was set.
 */
export type JambonzCustomerData = Record<string, unknown>;

/**
 * The fields every call webhook carries, whatever its kind: the call hook (inbound or REST),
 * the call status hook, and the action hooks of verbs.
 *
 * Source: feature server `lib/session/call-info.js` (the `CallInfo` object, and its `toJSON`).
 */
export interface JambonzCallInfo {
  /** jambonz's id of this call (UUID). Each leg of a bridged call has its own. */
  call_sid: string;
  /**
   * Which way this leg goes, as seen from jambonz: `inbound` for a call that came in, `outbound`
   * for a REST call or a leg placed by `dial` (see {@link JambonzCallDirection}). Always sent.
   */
  direction: JambonzCallDirection;
  /**
   * Calling party: the user part of the SIP From URI (inbound), or the number or SIP user the
   * call was placed from (outbound).
   */
  from: string;
  /**
   * Called party: the number or user jambonz was asked to reach. For a dialled leg this can be a
   * full SIP URI (`sip:+1555...@203.0.113.17:5060`).
   */
  to: string;
  /** SIP `Call-ID` of this leg between the jambonz SBC and the feature server. */
  call_id: string;
  /**
   * Latest SIP status code of the call: 100 when the call hook of an inbound call is sent,
   * 180/183 while ringing, 200 once answered, the final error code (486, 487, 603...) when it
   * failed.
   */
  sip_status: number;
  /** Reason phrase that came with {@link sip_status} (`Trying`, `OK`, `Busy Here`...). */
  sip_reason: string;
  /**
   * State of this leg when the webhook was sent (see {@link JambonzCallStatus}): `trying` in
   * the call hook of an inbound call, usually `in-progress` in verb action hooks. Always sent.
   */
  call_status: JambonzCallStatus;
  /** The jambonz account the call belongs to (UUID). The key to pick a per-account secret. */
  account_sid: string;
  /**
   * The jambonz application controlling the call (UUID). Absent when a REST `createCall`
   * request gave its own `call_hook` and no `application_sid`
   * (feature server `lib/http-routes/api/create-call.js`).
   */
  application_sid?: string;
  /**
   * OpenTelemetry trace id of the call (32 hex digits), for correlating with jambonz's logs.
   * All zeros when jambonz runs without tracing.
   */
  trace_id: string;
  /**
   * `Call-ID` of the call on the carrier side of the jambonz SBC (the SBC's `X-CID` header).
   * Sent for inbound calls, and for outbound calls once the SBC has answered the INVITE.
   */
  sbc_callid?: string;
  /** IP address of the carrier or device that sent the inbound INVITE (SBC's `X-Forwarded-For`). Inbound only. */
  originating_sip_ip?: string;
  /** Name of the jambonz carrier (SIP trunk) the inbound call came through (SBC's `X-Originating-Carrier`). Inbound only. */
  originating_sip_trunk_name?: string;
  /** Data the application attached to the call; see {@link JambonzCustomerData}. */
  customerData?: JambonzCustomerData;
}

/**
 * The call information jambonz puts in every webhook of a call after the first: call status
 * hooks and verb action hooks. The call hook of an inbound call has a different set (see
 * `CallHookPayload`).
 *
 * Source: feature server `lib/session/call-info.js`, `CallInfo.toJSON`.
 */
export interface JambonzCallState extends JambonzCallInfo {
  /** `host:port` of the SIP interface of the feature server handling the call (often a private address). */
  fs_sip_address: string;
  /** Public IP address of the feature server, when it has one. */
  fs_public_ip?: string;
  /**
   * Base URL of the jambonz REST API (`https://.../v1`), for live call control. Sent only when
   * the feature server is configured with `JAMBONES_API_BASE_URL`.
   */
  api_base_url?: string;
  /** Caller id used on a leg placed by the `dial` verb. Dialled legs only. */
  caller_id?: string;
  /** `call_sid` of the call whose `dial` verb placed this leg. Dialled legs only. */
  parent_call_sid?: string;
  /** Who ended the call; set once it has ended (see {@link JambonzCallTerminationBy}). */
  call_termination_by?: JambonzCallTerminationBy;
  /** Seconds from answer to hang-up, whole seconds. Only once the call is `completed`. */
  duration?: number;
  /**
   * Headers of the SIP BYE with which the far end ended the call, less the routing, body and
   * authentication ones (Via, From, To, Call-ID, CSeq, Max-Forwards, Contact, Route,
   * Record-Route, Content-Type, Content-Length, Authorization and the like), keys snake_cased
   * (`User-Agent` becomes `user_agent`, `X-Reason` becomes `x_reason`). Only once the call has
   * ended, and only when that BYE had other headers (feature server
   * `lib/session/call-session.js`, `_extractCustomHeaders`).
   */
  headers?: Record<string, string>;
}

/**
 * The SIP INVITE of an inbound call, as drachtio parsed it (drachtio-srf
 * `lib/sip-parser/message.js`). jambonz sends it under `sip` in the call hook of an inbound
 * call, when the hook's method is POST (or websocket), with keys left exactly as received.
 */
export interface JambonzSipMessage {
  /**
   * Every header of the INVITE. Standard headers arrive lower-cased (`call-id`, `via`,
   * `p-asserted-identity`); other headers keep the case the sender used (`X-Account-Sid`,
   * `X-CID`, your own `X-...` headers). A header that appeared several times is one
   * comma-joined string.
   */
  headers: Record<string, string>;
  /** The complete INVITE as received, start line, headers and body, CRLF line ends. Can be several kB. */
  raw?: string;
  /** The INVITE's body, usually SDP; absent when the INVITE had none. */
  body?: string;
  /** SIP method: `INVITE`. */
  method: string;
  /** SIP version: `2.0`. */
  version: string;
  /** Request-URI of the INVITE. */
  uri: string;
  /** The body split into parts (several for a multipart body, e.g. SIPREC: SDP plus XML metadata). */
  payload?: JambonzSipPayloadPart[];
}

/** One part of a SIP message body. */
export interface JambonzSipPayloadPart {
  /** MIME type of the part (`application/sdp`, `application/rs-metadata+xml`...). */
  type: string;
  /** The part's content. */
  content: string;
}

/**
 * The speech settings of the application, sent under `defaults` in the call hook so the
 * application can reuse them (feature server `lib/middleware.js` for inbound calls,
 * `lib/tasks/rest_dial.js` for REST calls). Keys whose value is not set are absent.
 */
export interface JambonzSpeechDefaults {
  /**
   * The application's text-to-speech defaults (vendor, language, voice, label and, for inbound
   * calls, the fallback vendor's). The object is always present; its keys may not be.
   */
  synthesizer: JambonzSynthesizerDefaults;
  /**
   * The application's speech-to-text defaults (vendor, language, label and, for inbound calls,
   * the fallback vendor's). The object is always present; its keys may not be.
   */
  recognizer: JambonzRecognizerDefaults;
}

/** Default text-to-speech settings of the application. */
export interface JambonzSynthesizerDefaults {
  /** TTS vendor (`google`, `microsoft`, `aws`, `elevenlabs`, `custom:...`...). */
  vendor?: string;
  /** Language tag, e.g. `en-US`. */
  language?: string;
  /** Vendor's voice name. */
  voice?: string;
  /** Label of the speech credential, when the account has several for one vendor. */
  label?: string;
  /** Fallback vendor, used when the main vendor fails. Inbound call hook only. */
  fallback_vendor?: string;
  /** Label of the fallback vendor's credential. Inbound call hook only. */
  fallback_label?: string;
  /** Language of the fallback vendor. Inbound call hook only. */
  fallback_language?: string;
  /** Voice of the fallback vendor. Inbound call hook only. */
  fallback_voice?: string;
}

/** Default speech-to-text settings of the application. */
export interface JambonzRecognizerDefaults {
  /** STT vendor (`google`, `microsoft`, `deepgram`, `aws`...). */
  vendor?: string;
  /** Language tag, e.g. `en-US`. */
  language?: string;
  /** Label of the speech credential, when the account has several for one vendor. */
  label?: string;
  /** Fallback vendor, used when the main vendor fails. Inbound call hook only. */
  fallback_vendor?: string;
  /** Label of the fallback vendor's credential. Inbound call hook only. */
  fallback_label?: string;
  /** Language of the fallback vendor. Inbound call hook only. */
  fallback_language?: string;
}
