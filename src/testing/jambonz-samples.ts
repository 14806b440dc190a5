import type {
  AmdActionPayload,
  CallHookPayload,
  CallStatusPayload,
  DialActionPayload,
  GatherActionPayload,
  JambonzCallInfo,
  JambonzCallState,
  LlmToolCallPayload,
  SessionNewMessage,
  SmsInboundPayload,
} from '../payloads/index.js';

/**
 * The payload type of each built-in sample, by sample name: `JambonzSamplePayloads['dial-action']`
 * is `DialActionPayload`.
 */
export interface JambonzSamplePayloads {
  /** A new inbound call. */
  'call-hook-inbound': CallHookPayload;
  /** An outbound call created through the REST API, answered. */
  'call-hook-outbound': CallHookPayload;
  /** An outbound call ringing. */
  'call-status-ringing': CallStatusPayload;
  /** An inbound call that ended. */
  'call-status-completed': CallStatusPayload;
  /** gather heard speech. */
  'gather-action-speech': GatherActionPayload;
  /** gather got DTMF digits. */
  'gather-action-digits': GatherActionPayload;
  /** The dialled call ended. */
  'dial-action': DialActionPayload;
  /** Answering-machine detection decided: a human. */
  'amd-action': AmdActionPayload;
  /** The llm verb's model calls a tool. */
  'llm-tool-call': LlmToolCallPayload;
  /** An inbound SMS. */
  'sms-inbound': SmsInboundPayload;
}

/** The name of a built-in sample: `'call-hook-inbound'`, `'dial-action'`... */
export type JambonzSampleName = keyof JambonzSamplePayloads;

/**
 * One built-in webhook payload, as jambonz sends it, with what it is and where the sample app
 * answers it. `JambonzSample<'gather-action-speech'>` has a `GatherActionPayload`; plain
 * `JambonzSample` is any of them.
 */
export interface JambonzSample<N extends JambonzSampleName = JambonzSampleName> {
  /** Its name, e.g. `call-hook-inbound`: what `jambonz-webhook send <payload>` takes. */
  readonly name: N;
  /** One line: which webhook it is and when jambonz sends it. */
  readonly description: string;
  /**
   * Path of the route that answers this kind of webhook in this package's sample app, e.g.
   * `/call-status`: where `jambonz-webhook send` posts it by default. Your app's routes are your
   * own.
   */
  readonly route: string;
  /**
   * The payload, snake_case as on the wire; send `JSON.stringify(payload)` (which `signWebhook`
   * does). Deeply frozen, so that no test can change it for the next: spread it to vary a field,
   * `{ ...sample.payload, from: '+15555550199' }`.
   */
  readonly payload: JambonzSamplePayloads[N];
}

// Every number, name and id below is made up (555-01xx numbers, documentation IP ranges).
const ACCOUNT_SID = '5f0b0a3c-8d1e-4c2a-9b7f-3e6d2c1a0b9e';
const APPLICATION_SID = '7a2c4e6f-1b3d-4f5a-8c9e-0d2f4a6c8e1b';
const SERVICE_PROVIDER_SID = '1c3e5a7b-9d0f-4e2a-8b4c-6d8f0a2c4e6b';

/** What jambonz knows of an inbound call when it sends the call hook (feature server `lib/session/call-info.js`). */
const INBOUND_CALL: JambonzCallInfo = {
  call_sid: '2d8f6b4a-0c1e-4a3b-9d7f-5e6c8a0b2d4f',
  direction: 'inbound',
  from: '+15555550123',
  to: '+15555550100',
  call_id: '4b6d8f0a-2c4e-11ef-9a1b-0242ac120002',
  sbc_callid: '9e8d7c6b5a4f3e2d1c0b@203.0.113.10',
  sip_status: 100,
  sip_reason: 'Trying',
  call_status: 'trying',
  account_sid: ACCOUNT_SID,
  application_sid: APPLICATION_SID,
  trace_id: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  originating_sip_ip: '203.0.113.10',
  originating_sip_trunk_name: 'Example Trunk',
};

/** The same inbound call once answered, as every later webhook of the call describes it. */
const INBOUND_CALL_STATE: JambonzCallState = {
  ...INBOUND_CALL,
  sip_status: 200,
  sip_reason: 'OK',
  call_status: 'in-progress',
  fs_sip_address: '10.0.0.20:5070',
};

/** An answered outbound call created through the REST API: no originating SIP address or trunk. */
const OUTBOUND_CALL_STATE: JambonzCallState = {
  call_sid: '6c1a3e5b-7d9f-4b2a-8e0c-1f3a5c7e9b2d',
  direction: 'outbound',
  from: '+15555550100',
  to: '+15555550177',
  call_id: '8d0f2b4c-2c4e-11ef-9a1b-0242ac120002',
  sip_status: 200,
  sip_reason: 'OK',
  call_status: 'in-progress',
  account_sid: ACCOUNT_SID,
  application_sid: APPLICATION_SID,
  trace_id: '7e6d5c4b3a29180f7e6d5c4b3a291800',
  fs_sip_address: '10.0.0.20:5070',
};

/** The samples without their names, typed by name: the compiler checks each payload against its type. */
const SAMPLES: { readonly [N in JambonzSampleName]: Omit<JambonzSample<N>, 'name'> } = {
  'call-hook-inbound': {
    description: 'call hook: a new inbound call (caller name in UTF-8, a few SIP headers)',
    route: '/call',
    payload: {
      sip: {
        headers: {
          from: '<sip:+15555550123@203.0.113.10>;tag=a1b2c3',
          to: '<sip:+15555550100@10.0.0.10>',
          'user-agent': 'Example Carrier Gateway',
          'X-Originating-Carrier': 'Example Trunk',
        },
        method: 'INVITE',
        version: '2.0',
        uri: 'sip:+15555550100@10.0.0.20:5070',
      },
      ...INBOUND_CALL,
      caller_name: 'Zoë Ångström',
      has_recording: false,
      local_sip_address: '10.0.0.20:5070',
      service_provider_sid: SERVICE_PROVIDER_SID,
    },
  },
  'call-hook-outbound': {
    description: 'call hook: an outbound call created through the REST API, with customerData',
    route: '/call',
    payload: {
      ...OUTBOUND_CALL_STATE,
      customerData: { campaignId: 'spring-renewals', contactName: 'Ana Pérez', attempt: 1 },
    },
  },
  'call-status-ringing': {
    description: 'call status hook: an outbound call is ringing',
    route: '/call-status',
    payload: { ...OUTBOUND_CALL_STATE, sip_status: 180, sip_reason: 'Ringing', call_status: 'ringing' },
  },
  'call-status-completed': {
    description: 'call status hook: the call ended',
    route: '/call-status',
    payload: { ...INBOUND_CALL_STATE, call_status: 'completed', call_termination_by: 'caller', duration: 42 },
  },
  'gather-action-speech': {
    description: 'action hook of gather: the caller said something',
    route: '/action/gather',
    payload: {
      ...INBOUND_CALL_STATE,
      reason: 'speechDetected',
      speech: {
        language_code: 'en-US',
        channel_tag: 1,
        is_final: true,
        alternatives: [{ confidence: 0.93, transcript: "I'd like to check my order" }],
      },
    },
  },
  'gather-action-digits': {
    description: 'action hook of gather: the caller pressed keys',
    route: '/action/gather',
    payload: { ...INBOUND_CALL_STATE, reason: 'dtmfDetected', digits: '42' },
  },
  'dial-action': {
    description: 'action hook of dial: the dialled call ended',
    route: '/action/dial',
    payload: {
      ...INBOUND_CALL_STATE,
      dial_call_sid: '8b0d2f4a-6c8e-4a1c-9e3b-5d7f9b1d3f5a',
      dial_call_status: 'completed',
      dial_sip_status: 200,
    },
  },
  'amd-action': {
    description: 'action hook of answering-machine detection: a human answered',
    route: '/action/amd',
    payload: {
      ...OUTBOUND_CALL_STATE,
      type: 'amd_human_detected',
      reason: 'short greeting',
      greeting: 'Hello?',
      language: 'en-US',
    },
  },
  'llm-tool-call': {
    // Over HTTP the tool hook carries the call's details in no field (see LlmToolCallPayload).
    description: 'tool hook of the llm verb: the model calls a tool',
    route: '/action/llm-tool',
    payload: { tool_call_id: 'call_Qm7xK2pV9sLd', name: 'get_weather', args: { location: 'Lisbon', unit: 'celsius' } },
  },
  'sms-inbound': {
    description: 'messaging hook: an inbound SMS',
    route: '/call',
    payload: {
      carrier: 'example-sms',
      message_sid: '3a5c7e9b-1d3f-4a6c-8e0b-2d4f6a8c0e1b',
      account_sid: ACCOUNT_SID,
      service_provider_sid: SERVICE_PROVIDER_SID,
      application_sid: APPLICATION_SID,
      from: '+15555550123',
      to: '+15555550100',
      text: 'Running 10 min late 🙏',
      media: [],
    },
  },
};

/** Freezes `value` and everything it holds. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Realistic webhook payloads, one for each kind of request jambonz makes to an app, snake_case
 * as on the wire (jambonz snake-cases every key except inside `customerData`, `sip`, `env_vars`
 * and `args`), typed with this package's payload types. For your own tests: sign and send one
 * with `signWebhook(sample.payload)`. `jambonz-webhook samples` lists them, `send <name>` sends
 * one. Every number, name and id is made up; small on purpose (the call hook's `sip` has a few
 * headers, not a whole INVITE). Frozen, deeply.
 */
export const JAMBONZ_SAMPLES: readonly JambonzSample[] = deepFreeze(
  Object.entries(SAMPLES).map(([name, sample]) => ({ name, ...sample }) as JambonzSample),
);

/**
 * The built-in sample called `name`, typed by its name:
 * `jambonzSample('gather-action-speech').payload` is a `GatherActionPayload`.
 *
 * @throws TypeError, listing the names, when there is no sample of that name (from JavaScript,
 *   or a name held in a `string`).
 */
export function jambonzSample<N extends JambonzSampleName>(name: N): JambonzSample<N> {
  const sample = JAMBONZ_SAMPLES.find((candidate) => candidate.name === name);
  if (!sample) {
    throw new TypeError(
      `jambonzSample: no sample named ${JSON.stringify(name)}; samples: ${JAMBONZ_SAMPLES.map((s) => s.name).join(', ')}`,
    );
  }
  return sample as JambonzSample<N>;
}

/**
 * A `session:new` frame as jambonz sends it over the WebSocket API when a call arrives at an
 * application whose call hook is a `ws://` URL: `{ type, msgid, call_sid, data }`, `data` being
 * the call hook payload of the `call-hook-inbound` sample (feature server
 * `lib/utils/ws-requestor.js`). `connectLikeJambonz(...).sessionNew()` sends its `data` with a
 * fresh `msgid`. Deeply frozen.
 */
export const JAMBONZ_SESSION_NEW_SAMPLE: SessionNewMessage = deepFreeze({
  type: 'session:new',
  // jambonz's msgids are short uuids (22 base58 characters).
  msgid: 'mZ3kQv8RtYp2Lw9XbN4cHs',
  call_sid: INBOUND_CALL.call_sid,
  data: jambonzSample('call-hook-inbound').payload,
});
