/**
 * Built-in webhook payloads, one per kind of request jambonz makes, as they travel: snake_case
 * keys (jambonz snake-cases everything except inside `customerData`, `sip`, `env_vars` and
 * `args`). Every number, name and id is made up. Small on purpose; the realistic, complete
 * captures live in `test/fixtures/jambonz-webhooks/`.
 */

/** One built-in payload. */
export interface WebhookSample {
  /** What `<payload>` must be to pick it, e.g. `call-hook-inbound`. */
  readonly name: string;
  /** One line: which webhook it is and when jambonz sends it. */
  readonly description: string;
  /** The sample app's route that answers this kind of webhook (`send --url` points there). */
  readonly route: string;
  /** The payload; the body sent is `JSON.stringify(payload)`. */
  readonly payload: unknown;
}

const ACCOUNT_SID = '5f0b0a3c-8d1e-4c2a-9b7f-3e6d2c1a0b9e';
const APPLICATION_SID = '7a2c4e6f-1b3d-4f5a-8c9e-0d2f4a6c8e1b';

/** The call attributes jambonz puts in every webhook of one inbound call. */
const INBOUND_CALL = {
  call_sid: '2d8f6b4a-0c1e-4a3b-9d7f-5e6c8a0b2d4f',
  direction: 'inbound',
  from: '+15555550123',
  to: '+15555550100',
  call_id: '4b6d8f0a-2c4e-11ef-9a1b-0242ac120002',
  sbc_callid: '9e8d7c6b5a4f3e2d1c0b@203.0.113.10',
  sip_status: 200,
  sip_reason: 'OK',
  call_status: 'in-progress',
  account_sid: ACCOUNT_SID,
  trace_id: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  application_sid: APPLICATION_SID,
  fs_sip_address: '10.0.0.20:5070',
  originating_sip_ip: '203.0.113.10',
  originating_sip_trunk_name: 'Example Trunk',
};

const OUTBOUND_CALL = {
  ...INBOUND_CALL,
  call_sid: '6c1a3e5b-7d9f-4b2a-8e0c-1f3a5c7e9b2d',
  direction: 'outbound',
  from: '+15555550100',
  to: '+15555550177',
};

/** Every built-in sample, in the order `jambonz-webhook samples` lists them. */
export const SAMPLES: readonly WebhookSample[] = Object.freeze([
  {
    name: 'call-hook-inbound',
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
        uri: 'sip:+15555550100@10.0.0.20:5070',
      },
      ...INBOUND_CALL,
      caller_name: 'Zoë Ångström',
      sip_status: 100,
      sip_reason: 'Trying',
      call_status: 'trying',
    },
  },
  {
    name: 'call-hook-outbound',
    description: 'call hook: an outbound call created through the REST API, with customerData',
    route: '/call',
    payload: {
      ...OUTBOUND_CALL,
      customerData: { campaignId: 'spring-renewals', contactName: 'Ana Pérez', attempt: 1 },
    },
  },
  {
    name: 'call-status-ringing',
    description: 'call status hook: an outbound call is ringing',
    route: '/call-status',
    payload: { ...OUTBOUND_CALL, sip_status: 180, sip_reason: 'Ringing', call_status: 'ringing' },
  },
  {
    name: 'call-status-completed',
    description: 'call status hook: the call ended',
    route: '/call-status',
    payload: { ...INBOUND_CALL, call_status: 'completed', call_termination_by: 'caller', duration: 42 },
  },
  {
    name: 'gather-action-speech',
    description: 'action hook of gather: the caller said something',
    route: '/action/gather',
    payload: {
      ...INBOUND_CALL,
      reason: 'speechDetected',
      speech: {
        language_code: 'en-US',
        is_final: true,
        alternatives: [{ confidence: 0.93, transcript: "I'd like to check my order" }],
      },
    },
  },
  {
    name: 'gather-action-digits',
    description: 'action hook of gather: the caller pressed keys',
    route: '/action/gather',
    payload: { ...INBOUND_CALL, reason: 'dtmfDetected', digits: '42' },
  },
  {
    name: 'dial-action',
    description: 'action hook of dial: the dialled call ended',
    route: '/action/dial',
    payload: {
      ...INBOUND_CALL,
      dial_call_sid: '8b0d2f4a-6c8e-4a1c-9e3b-5d7f9b1d3f5a',
      dial_call_status: 'completed',
      dial_sip_status: 200,
      duration: 95,
    },
  },
  {
    name: 'amd-action',
    description: 'action hook of answering-machine detection: a human answered',
    route: '/action/amd',
    payload: {
      ...OUTBOUND_CALL,
      type: 'amd_human_detected',
      reason: 'short greeting',
      greeting: 'Hello?',
      language: 'en-US',
    },
  },
  {
    name: 'llm-tool-call',
    description: 'tool hook of the llm verb: the model calls a tool',
    route: '/action/llm-tool',
    payload: {
      ...INBOUND_CALL,
      type: 'llm_tool_call',
      tool_call_id: 'call_Qm7xK2pV9sLd',
      name: 'get_weather',
      args: { location: 'Lisbon', unit: 'celsius' },
    },
  },
  {
    name: 'sms-inbound',
    description: 'messaging hook: an inbound SMS',
    route: '/call',
    payload: {
      carrier: 'example-sms',
      message_sid: '3a5c7e9b-1d3f-4a6c-8e0b-2d4f6a8c0e1b',
      account_sid: ACCOUNT_SID,
      application_sid: APPLICATION_SID,
      from: '+15555550123',
      to: '+15555550100',
      text: 'Running 10 min late 🙏',
      media: [],
    },
  },
] satisfies WebhookSample[]);

/** The sample called `name`, or `undefined`. */
export function findSample(name: string): WebhookSample | undefined {
  return SAMPLES.find((sample) => sample.name === name);
}
