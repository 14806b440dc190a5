// Ties the payload types of src/payloads to the realistic bodies in test/fixtures/jambonz-webhooks.
//
// For each type, a field map below lists every field of the type with whether it is required and
// the kind of value it holds. The compiler checks the map against the type (`npm run typecheck`):
// a field missing from the map, a field the type lacks, or a wrong `required` or `kind` fails the
// type check. The tests then check every fixture against its map: no field the type does not
// declare, no required field missing, no value of the wrong kind, no value outside a declared
// union. So a type that disagrees with a fixture fails one of the two.
import type {
  AmdActionPayload,
  CallHookPayload,
  CallStatusPayload,
  DialActionPayload,
  GatherActionPayload,
  GatherReason,
  JambonzCallDirection,
  JambonzCallInfo,
  JambonzCallState,
  JambonzCallStatus,
  JambonzCallTerminationBy,
  JambonzRecognizerDefaults,
  JambonzSipMessage,
  JambonzSipPayloadPart,
  JambonzSpeechAlternative,
  JambonzSpeechDefaults,
  JambonzSpeechResult,
  JambonzSpeechVendorData,
  JambonzSynthesizerDefaults,
  JambonzVerbList,
  LlmActionPayload,
  LlmToolCallPayload,
  SmsInboundPayload,
} from '../src/payloads/index.js';
import { fixtures } from './support/fixtures.js';

// ---- field maps, checked against the types by the compiler ----

/** One field's entry in a field map. */
interface FieldRule {
  required: boolean;
  kind: string;
}
/** A field map as the run-time check reads it (every `Shape<T>` is one). */
interface AnyShape {
  fields: Record<string, FieldRule>;
  enums?: Record<string, readonly unknown[] | undefined>;
  nested?: Record<string, AnyShape | undefined>;
}

/** What `typeof` says of a value of type V (arrays apart); `any` when V mixes kinds or is unknown. */
type Kind<V> = [V] extends [string]
  ? 'string'
  : [V] extends [number]
    ? 'number'
    : [V] extends [boolean]
      ? 'boolean'
      : [V] extends [readonly unknown[]]
        ? 'array'
        : [V] extends [object]
          ? 'object'
          : 'any';

/** One entry per field of T, none more: whether T requires it, and its kind. */
type Fields<T> = {
  // `{} extends Pick<T, K>` holds exactly when K is optional in T: here `{}` is meant.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  [K in keyof T]-?: { required: {} extends Pick<T, K> ? false : true; kind: Kind<Exclude<T[K], undefined>> };
};

type Element<V> = V extends readonly (infer E)[] ? E : V;

/** A field map, the allowed values of union fields, and the maps of nested objects (or array elements). */
interface Shape<T> {
  fields: Fields<T>;
  enums?: { [K in keyof T]?: readonly Exclude<T[K], undefined>[] };
  nested?: {
    [K in keyof T as Element<Exclude<T[K], undefined>> extends object ? K : never]?: Shape<Element<Exclude<T[K], undefined>>>;
  };
}

function shape<T>(fields: Fields<T>, more: Omit<Shape<T>, 'fields'> = {}): Shape<T> {
  return { fields, ...more };
}

/** The members of a string union, given as the keys of a record: the compiler requires each member once, and nothing else. */
const membersOf = <U extends string>(record: Record<U, true>): readonly U[] => Object.keys(record) as U[];

const CALL_STATUSES = membersOf<JambonzCallStatus>({
  trying: true,
  ringing: true,
  'early-media': true,
  'in-progress': true,
  completed: true,
  failed: true,
  busy: true,
  'no-answer': true,
  queued: true,
});
const DIRECTIONS = membersOf<JambonzCallDirection>({ inbound: true, outbound: true });
const TERMINATED_BY = membersOf<JambonzCallTerminationBy>({ caller: true, jambonz: true });
const GATHER_REASONS = membersOf<GatherReason>({
  speechDetected: true,
  dtmfDetected: true,
  timeout: true,
  error: true,
  'stt-low-confidence': true,
});

const SIP_PAYLOAD_PART = shape<JambonzSipPayloadPart>({
  type: { required: true, kind: 'string' },
  content: { required: true, kind: 'string' },
});

const SIP = shape<JambonzSipMessage>(
  {
    headers: { required: true, kind: 'object' },
    raw: { required: false, kind: 'string' },
    body: { required: false, kind: 'string' },
    method: { required: true, kind: 'string' },
    version: { required: true, kind: 'string' },
    uri: { required: true, kind: 'string' },
    payload: { required: false, kind: 'array' },
  },
  { nested: { payload: SIP_PAYLOAD_PART } },
);

const SYNTHESIZER_DEFAULTS = shape<JambonzSynthesizerDefaults>({
  vendor: { required: false, kind: 'string' },
  language: { required: false, kind: 'string' },
  voice: { required: false, kind: 'string' },
  label: { required: false, kind: 'string' },
  fallback_vendor: { required: false, kind: 'string' },
  fallback_label: { required: false, kind: 'string' },
  fallback_language: { required: false, kind: 'string' },
  fallback_voice: { required: false, kind: 'string' },
});

const RECOGNIZER_DEFAULTS = shape<JambonzRecognizerDefaults>({
  vendor: { required: false, kind: 'string' },
  language: { required: false, kind: 'string' },
  label: { required: false, kind: 'string' },
  fallback_vendor: { required: false, kind: 'string' },
  fallback_label: { required: false, kind: 'string' },
  fallback_language: { required: false, kind: 'string' },
});

const SPEECH_DEFAULTS = shape<JambonzSpeechDefaults>(
  {
    synthesizer: { required: true, kind: 'object' },
    recognizer: { required: true, kind: 'object' },
  },
  { nested: { synthesizer: SYNTHESIZER_DEFAULTS, recognizer: RECOGNIZER_DEFAULTS } },
);

/** The fields of JambonzCallInfo, the base of every call webhook type. */
const CALL_INFO_FIELDS: Fields<JambonzCallInfo> = {
  call_sid: { required: true, kind: 'string' },
  direction: { required: true, kind: 'string' },
  from: { required: true, kind: 'string' },
  to: { required: true, kind: 'string' },
  call_id: { required: true, kind: 'string' },
  sip_status: { required: true, kind: 'number' },
  sip_reason: { required: true, kind: 'string' },
  call_status: { required: true, kind: 'string' },
  account_sid: { required: true, kind: 'string' },
  application_sid: { required: false, kind: 'string' },
  trace_id: { required: true, kind: 'string' },
  sbc_callid: { required: false, kind: 'string' },
  originating_sip_ip: { required: false, kind: 'string' },
  originating_sip_trunk_name: { required: false, kind: 'string' },
  customerData: { required: false, kind: 'object' },
};

/** The fields of JambonzCallState: JambonzCallInfo's and those CallInfo.toJSON adds. */
const CALL_STATE_FIELDS: Fields<JambonzCallState> = {
  ...CALL_INFO_FIELDS,
  fs_sip_address: { required: true, kind: 'string' },
  fs_public_ip: { required: false, kind: 'string' },
  api_base_url: { required: false, kind: 'string' },
  caller_id: { required: false, kind: 'string' },
  parent_call_sid: { required: false, kind: 'string' },
  call_termination_by: { required: false, kind: 'string' },
  duration: { required: false, kind: 'number' },
  headers: { required: false, kind: 'object' },
};

const CALL_ENUMS = { call_status: CALL_STATUSES, direction: DIRECTIONS } as const;
const CALL_STATE_ENUMS = { ...CALL_ENUMS, call_termination_by: TERMINATED_BY } as const;

const CALL_HOOK = shape<CallHookPayload>(
  {
    ...CALL_INFO_FIELDS,
    sip: { required: false, kind: 'object' },
    caller_name: { required: false, kind: 'string' },
    has_recording: { required: false, kind: 'boolean' },
    local_sip_address: { required: false, kind: 'string' },
    public_ip: { required: false, kind: 'string' },
    service_provider_sid: { required: false, kind: 'string' },
    participants: { required: false, kind: 'array' },
    defaults: { required: false, kind: 'object' },
    env_vars: { required: false, kind: 'object' },
    fs_sip_address: { required: false, kind: 'string' },
    fs_public_ip: { required: false, kind: 'string' },
    api_base_url: { required: false, kind: 'string' },
    caller_id: { required: false, kind: 'string' },
    parent_call_sid: { required: false, kind: 'string' },
    parent_call_info: { required: false, kind: 'object' },
  },
  { enums: CALL_ENUMS, nested: { sip: SIP, defaults: SPEECH_DEFAULTS } },
);

const CALL_STATUS = shape<CallStatusPayload>(
  {
    ...CALL_STATE_FIELDS,
    error: { required: false, kind: 'string' },
    reason: { required: false, kind: 'string' },
  },
  { enums: CALL_STATE_ENUMS },
);

const SPEECH_ALTERNATIVE = shape<JambonzSpeechAlternative>({
  transcript: { required: true, kind: 'string' },
  confidence: { required: false, kind: 'number' },
});

const SPEECH_VENDOR = shape<JambonzSpeechVendorData>({
  name: { required: true, kind: 'string' },
  evt: { required: false, kind: 'any' },
  endpoint_reached: { required: false, kind: 'boolean' },
  final_words: { required: false, kind: 'array' },
  non_final_words: { required: false, kind: 'array' },
});

const SPEECH = shape<JambonzSpeechResult>(
  {
    language_code: { required: true, kind: 'string' },
    channel_tag: { required: true, kind: 'number' },
    is_final: { required: true, kind: 'boolean' },
    alternatives: { required: true, kind: 'array' },
    vendor: { required: false, kind: 'object' },
  },
  { nested: { alternatives: SPEECH_ALTERNATIVE, vendor: SPEECH_VENDOR } },
);

const GATHER_ACTION = shape<GatherActionPayload>(
  {
    ...CALL_STATE_FIELDS,
    reason: { required: true, kind: 'string' },
    digits: { required: false, kind: 'string' },
    speech: { required: false, kind: 'object' },
    details: { required: false, kind: 'any' },
    verb_id: { required: false, kind: 'string' },
    stt_latency_ms: { required: false, kind: 'string' },
    stt_talkspurts: { required: false, kind: 'string' },
    stt_start_time: { required: false, kind: 'number' },
    stt_stop_time: { required: false, kind: 'number' },
    stt_usage: { required: false, kind: 'string' },
  },
  { enums: { ...CALL_STATE_ENUMS, reason: GATHER_REASONS }, nested: { speech: SPEECH } },
);

const DIAL_ACTION = shape<DialActionPayload>(
  {
    ...CALL_STATE_FIELDS,
    dial_call_status: { required: false, kind: 'string' },
    dial_sip_status: { required: false, kind: 'number' },
    dial_call_sid: { required: false, kind: 'string' },
    dial_sbc_callid: { required: false, kind: 'string' },
    verb_id: { required: false, kind: 'string' },
  },
  { enums: { ...CALL_STATE_ENUMS, dial_call_status: CALL_STATUSES } },
);

const SMS_INBOUND = shape<SmsInboundPayload>({
  carrier: { required: true, kind: 'string' },
  message_sid: { required: true, kind: 'string' },
  account_sid: { required: true, kind: 'string' },
  service_provider_sid: { required: true, kind: 'string' },
  application_sid: { required: true, kind: 'string' },
  from: { required: true, kind: 'string' },
  to: { required: true, kind: 'any' },
  cc: { required: false, kind: 'any' },
  text: { required: false, kind: 'string' },
  media: { required: false, kind: 'array' },
});

/** Which type each fixture is a body of, by file name. Every fixture must match one. */
const FIXTURE_TYPES: ReadonlyArray<{ pattern: RegExp; type: string; shape: AnyShape }> = [
  { pattern: /^call-hook-/, type: 'CallHookPayload', shape: CALL_HOOK },
  { pattern: /^call-status-/, type: 'CallStatusPayload', shape: CALL_STATUS },
  { pattern: /^gather-action-/, type: 'GatherActionPayload', shape: GATHER_ACTION },
  { pattern: /^dial-action/, type: 'DialActionPayload', shape: DIAL_ACTION },
  { pattern: /^sms-inbound/, type: 'SmsInboundPayload', shape: SMS_INBOUND },
];

// ---- the run-time check of a value against a field map ----

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Every way `value` disagrees with `rules`, as `path: what` lines. */
function disagreements(rules: AnyShape, value: unknown, path: string): string[] {
  if (kindOf(value) !== 'object') return [`${path}: expected an object, got ${kindOf(value)}`];
  const object = value as Record<string, unknown>;
  const found: string[] = [];
  for (const [key, field] of Object.entries(object)) {
    const where = `${path}.${key}`;
    const rule = rules.fields[key];
    if (!rule) {
      found.push(`${where}: not a field of the type`);
      continue;
    }
    if (rule.kind !== 'any' && kindOf(field) !== rule.kind) {
      found.push(`${where}: the type says ${rule.kind}, the fixture has ${kindOf(field)}`);
      continue;
    }
    const allowed = rules.enums?.[key];
    if (allowed && !allowed.includes(field)) {
      found.push(`${where}: ${JSON.stringify(field)} is not one of ${allowed.join(', ')}`);
    }
    const inner = rules.nested?.[key];
    if (inner) {
      const items = Array.isArray(field) ? field.map((item, i) => [item, `${where}[${i}]`] as const) : [[field, where] as const];
      for (const [item, itemPath] of items) found.push(...disagreements(inner, item, itemPath));
    }
  }
  for (const [key, rule] of Object.entries(rules.fields)) {
    if (rule.required && !(key in object)) found.push(`${path}.${key}: required by the type, missing from the fixture`);
  }
  return found;
}

// ---- tests ----

describe('payload types against the jambonz webhook fixtures', () => {
  it('knows the type of every fixture', () => {
    const untyped = fixtures.filter((f) => !FIXTURE_TYPES.some((t) => t.pattern.test(f.name))).map((f) => f.name);
    expect(untyped).toEqual([]);
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
  });

  const cases = fixtures.flatMap((f) => {
    const match = FIXTURE_TYPES.find((t) => t.pattern.test(f.name));
    return match ? [[f.name, match.type, f.payload, match.shape] as const] : [];
  });

  it.each(cases)('%s is a %s', (_name, _type, payload, rules) => {
    expect(disagreements(rules, payload, '$')).toEqual([]);
  });

  it('the checker does catch an undeclared field, a wrong kind, a missing field and a value outside a union', () => {
    const body = { ...fixtures.find((f) => f.name === 'call-status-completed')!.payload };
    body['surprise'] = 1;
    body['duration'] = '187';
    body['call_status'] = 'hung-up';
    delete body['call_sid'];
    expect(disagreements(CALL_STATUS, body, '$')).toEqual([
      '$.call_status: "hung-up" is not one of trying, ringing, early-media, in-progress, completed, failed, busy, no-answer, queued',
      '$.duration: the type says number, the fixture has string',
      '$.surprise: not a field of the type',
      '$.call_sid: required by the type, missing from the fixture',
    ]);
  });

  it('checks nested objects and array elements (the INVITE, the speech result)', () => {
    const inbound = fixtures.find((f) => f.name === 'call-hook-inbound')!.payload;
    const sip = inbound['sip'] as Record<string, unknown>;
    const broken = { ...inbound, sip: { ...sip, payload: [{ type: 'application/sdp' }] } };
    expect(disagreements(CALL_HOOK, broken, '$')).toEqual([
      '$.sip.payload[0].content: required by the type, missing from the fixture',
    ]);
    const speech = fixtures.find((f) => f.name === 'gather-action-speech')!.payload;
    const badSpeech = { ...speech, speech: { ...(speech['speech'] as object), alternatives: [{ transcript: 1 }] } };
    expect(disagreements(GATHER_ACTION, badSpeech, '$')).toEqual([
      '$.speech.alternatives[0].transcript: the type says string, the fixture has number',
    ]);
  });
});

// ---- types with no fixture: jambonz's own examples must compile, and mistakes must not ----

describe('payload and verb types without fixtures', () => {
  const callState = {
    call_sid: 'a5d7f0b5-621f-426e-9d8e-955b27183996',
    direction: 'outbound',
    from: '+15555550199',
    to: '+15555550161',
    call_id: 'e1d2c3b4-2776-123d-a6a1-0f1e2d3c4b5a',
    sip_status: 200,
    sip_reason: 'OK',
    call_status: 'in-progress',
    account_sid: '4956ce0d-592e-4296-be38-cecd605f198d',
    application_sid: '1ef56c54-03ee-492d-a929-056817bf1e3e',
    trace_id: '3e3849591d127585acbcfb58c01f10d1',
    fs_sip_address: '10.0.1.40:5070',
  } as const;

  it('accepts AMD, LLM action and tool call bodies shaped as the feature server builds them', () => {
    const amd: AmdActionPayload[] = [
      { ...callState, type: 'amd_machine_detected', reason: 'hint', hint: 'leave a message', language: 'en-US' },
      { ...callState, type: 'amd_human_detected', reason: 'short greeting', greeting: 'hello?', language: 'en-US' },
      { ...callState, type: 'amd_tone_detected', frequency: 1000, variance: 12 },
      { ...callState, type: 'amd_stopped' },
    ];
    const llmDone: LlmActionPayload = { ...callState, completion_reason: 'normal conversation end', verb_id: 'agent' };
    const tool: LlmToolCallPayload = { tool_call_id: 'call_Xy12', name: 'get_weather', args: { cityName: 'Paris' } };
    expect(amd).toHaveLength(4);
    expect(llmDone.completion_reason).toBe('normal conversation end');
    expect(tool.args).toEqual({ cityName: 'Paris' });
  });

  it('types a verb array, and refuses what jambonz would refuse', () => {
    const verbs: JambonzVerbList = [
      { verb: 'config', synthesizer: { vendor: 'google', language: 'en-US', voice: 'en-US-Standard-C' } },
      {
        verb: 'gather',
        id: 'menu',
        actionHook: '/gather-done',
        input: ['digits', 'speech'],
        numDigits: 1,
        timeout: 10,
        recognizer: { vendor: 'deepgram', language: 'en-US', deepgramOptions: { model: 'nova-2' } },
        say: { text: 'Press 1 for sales, or say what you need.' },
      },
      {
        verb: 'dial',
        target: [{ type: 'phone', number: '+15555550188' }],
        actionHook: { url: '/dial-done', method: 'POST' },
        timeout: 30,
      },
      { verb: 'play', url: 'https://example.com/bye.wav' },
      { verb: 'pause', length: 1 },
      { verb: 'redirect', actionHook: 'https://other.example.com/call' },
      { verb: 'llm', vendor: 'openai', model: 'gpt-4o-realtime-preview', llmOptions: {}, toolHook: '/tool' },
      { verb: 'conference', name: 'room-1', beep: true },
      { verb: 'hangup', headers: { 'X-Reason': 'done' } },
    ];
    // @ts-expect-error misspelt property: verb-specifications refuses unknown properties
    const misspelt: JambonzVerbList = [{ verb: 'say', txt: 'hello' }];
    // @ts-expect-error pause needs a length
    const noLength: JambonzVerbList = [{ verb: 'pause' }];
    // @ts-expect-error not a jambonz verb
    const unknownVerb: JambonzVerbList = [{ verb: 'record', url: 'x' }];
    // @ts-expect-error gather input is 'digits' and/or 'speech'
    const badInput: JambonzVerbList = [{ verb: 'gather', input: ['dtmf'] }];
    expect(verbs).toHaveLength(9);
    expect([misspelt, noLength, unknownVerb, badInput]).toHaveLength(4);
  });
});
