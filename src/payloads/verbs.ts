/**
 * Types for what a call hook or an action hook answers: a JSON array of verbs.
 *
 * The nine common verbs are typed with every top-level property jambonz accepts for them
 * (`@jambonz/verb-specifications` 0.1.13, `specs.json`, which the feature server validates
 * against, refusing unknown properties). Their nested option objects (recognizer, listen,
 * record...) are typed loosely: the common fields plus anything else. Every other verb goes
 * through {@link JambonzOtherVerb}, untyped beyond its name.
 *
 * jambonz also accepts the form `{ "say": { "text": "..." } }` (the verb name as the only
 * key); these types describe only the `{ "verb": "say", ... }` form.
 */

/**
 * A webhook a verb calls: a URL, absolute or relative to the application's call hook
 * (`/gather-done`), or an object with the URL and the HTTP method.
 */
export type JambonzHook = string | JambonzHookObject;

/** A webhook as an object. */
export interface JambonzHookObject {
  /** The webhook's URL: absolute, or relative to the application's call hook (`/gather-done`). */
  url: string;
  /** Default `POST`. A GET request carries no body (jambonz sends the payload with POST only). */
  method?: 'GET' | 'POST';
  /**
   * Accepted, but the feature server authenticates every request of a call with the
   * credentials of the application's call hook (`lib/utils/http-requestor.js`), not these.
   */
  username?: string;
  /** See {@link username}. */
  password?: string;
}

/** Options of a nested object that these types do not spell out. */
export type JambonzVerbOptions = Record<string, unknown>;

/** Text-to-speech settings (verb-specifications `synthesizer`). */
export interface JambonzSynthesizer {
  /** TTS vendor (`google`, `microsoft`, `aws`, `elevenlabs`, `deepgram`, `custom:<name>`...). */
  vendor: string;
  /** Label of the speech credential to use, when the account has several for the vendor. */
  label?: string;
  /** Language tag (`en-US`). */
  language?: string;
  /** Voice name, or a vendor-specific voice object. */
  voice?: string | JambonzVerbOptions;
  /**
   * TTS vendor to switch to when synthesis with {@link vendor} fails; from then on the call keeps
   * using it, until a `config` verb sets a new synthesizer. Absent or `'default'`: the
   * application's fallback vendor, if it has one (feature server `lib/tasks/say.js`).
   */
  fallbackVendor?: string;
  /**
   * Label of the fallback vendor's speech credential. When a verb gives a `synthesizer`, this
   * value is used as is (even absent) instead of the application's.
   */
  fallbackLabel?: string;
  /** Language tag for the fallback vendor (`en-US`). Absent or `'default'`: the application's fallback language. */
  fallbackLanguage?: string;
  /** Voice for the fallback vendor, a name or a vendor-specific object. Absent or `'default'`: the application's fallback voice. */
  fallbackVoice?: string | JambonzVerbOptions;
  /** AWS Polly engine. */
  engine?: 'standard' | 'neural' | 'generative' | 'long-form';
  /**
   * Voice gender; the jambonz docs list it for Google only. Accepted by verb-specifications, but
   * feature server 0.9.8 does not pass it to the vendor (`lib/tasks/tts-task.js`): choose the
   * voice with {@link voice} instead.
   */
  gender?: 'MALE' | 'FEMALE' | 'NEUTRAL';
  /** Vendor-specific options. */
  options?: JambonzVerbOptions;
}

/**
 * Speech-to-text settings (verb-specifications `recognizer`). The common fields are typed;
 * the many vendor options (`deepgramOptions`, `googleOptions`, `vad`, `hints`...) pass
 * unchecked.
 */
export interface JambonzRecognizer {
  /** STT vendor (`google`, `microsoft`, `deepgram`, `aws`, `soniox`, `custom:<name>`...). */
  vendor: string;
  /** Label of the speech credential to use, when the account has several for the vendor. */
  label?: string;
  /** Language tag (`en-US`). */
  language?: string;
  /**
   * STT vendor to switch to when {@link vendor} fails (e.g. its credentials cannot be used);
   * from then on the call keeps using it, until a verb with its own `recognizer` or a `config`
   * verb. Absent or `'default'`: the application's fallback vendor, if it has one (feature server
   * `lib/tasks/stt-task.js`).
   */
  fallbackVendor?: string;
  /**
   * Label of the fallback vendor's speech credential. When a verb gives a `recognizer`, this
   * value is used as is (even absent) instead of the application's.
   */
  fallbackLabel?: string;
  /** Language tag for the fallback vendor (`en-US`). Absent or `'default'`: the application's fallback language. */
  fallbackLanguage?: string;
  /** Words or phrases to favour. */
  hints?: unknown[];
  /** Other languages the caller may speak. */
  altLanguages?: string[];
  /** Report interim (non-final) results. */
  interim?: boolean;
  /** Transcripts below this confidence (0 to 1) end a gather with `stt-low-confidence`. */
  minConfidence?: number;
  [option: string]: unknown;
}

/** A `say` verb without its `verb` key, as nested in `gather`. */
export interface JambonzSayOptions {
  /** An id of your own for the verb; action hooks echo it as `verb_id`. */
  id?: string;
  /** Text or SSML to speak; with an array, jambonz picks one at random. */
  text?: string | string[];
  /** Instructions on how to speak, for TTS vendors that take them. */
  instructions?: string;
  /** Stream the text to the TTS vendor as the application sends it (websocket applications). */
  stream?: boolean;
  /** How many times to speak it; `0` or `'forever'` repeats until interrupted. */
  loop?: number | string;
  /**
   * TTS settings for this verb only. Keys left out come from the session (set by a `config`
   * verb), then from the application's defaults.
   */
  synthesizer?: JambonzSynthesizer;
  /** Speak before the call is answered (early media), when possible. */
  earlyMedia?: boolean;
  /**
   * `true`: synthesise the text afresh, neither reading nor filling jambonz's TTS cache. Absent:
   * the session setting (`config` verb `disableTtsCache`), `false` by default
   * (feature server `lib/tasks/tts-task.js`).
   */
  disableTtsCache?: boolean;
  /**
   * Meant for a streaming say (`stream: true`): whether the verb ends once the text stream is
   * empty. Accepted by verb-specifications, but feature server 0.9.8 reads a key named
   * `closeOnStreamEmpty` instead (`lib/tasks/say.js`), so this has no effect: a streaming say
   * always ends when its stream runs empty.
   */
  closeStreamOnEmpty?: boolean;
}

/** Speak text with text-to-speech. */
export interface JambonzSayVerb extends JambonzSayOptions {
  /** Verb name, always `'say'`. */
  verb: 'say';
}

/** A `play` verb without its `verb` key, as nested in `gather`. */
export interface JambonzPlayOptions {
  /** An id of your own for the verb; action hooks echo it as `verb_id`. */
  id?: string;
  /** URL of an audio file (WAV or MP3), or several, played in turn. */
  url: string | string[];
  /** How many times to play it; `0` or `'forever'` repeats until interrupted. */
  loop?: number | string;
  /** Play before the call is answered (early media), when possible. */
  earlyMedia?: boolean;
  /** Where to start in the file (FreeSWITCH seek offset, in samples). */
  seekOffset?: number | string;
  /** Stop playing after this many seconds. */
  timeoutSecs?: number | string;
  /** Called when playback ends. */
  actionHook?: JambonzHook;
}

/** Play an audio file. */
export interface JambonzPlayVerb extends JambonzPlayOptions {
  /** Verb name, always `'play'`. */
  verb: 'play';
}

/** Collect digits (DTMF) and/or speech; the result goes to `actionHook` (see `GatherActionPayload`). */
export interface JambonzGatherVerb {
  /** Verb name, always `'gather'`. */
  verb: 'gather';
  /** An id of your own for the verb; the action hook echoes it as `verb_id`. */
  id?: string;
  /** Receives the result (`GatherActionPayload`); its answer is the next verb array. */
  actionHook?: JambonzHook;
  /** What to collect. Default `['digits']`. */
  input?: Array<'digits' | 'speech'>;
  /** A key that ends digit entry (`#`). */
  finishOnKey?: string;
  /** Exact number of digits to collect. */
  numDigits?: number;
  /**
   * Fewest digits that count as an answer: once this many are in, `interDigitTimeout` starts
   * running, and when `timeout` expires the gather reports `dtmfDetected` rather than
   * `timeout`. The jambonz docs give 1 as default, but feature server 0.9.8 sets none
   * (`lib/tasks/gather.js`): leave it out and `interDigitTimeout` never starts.
   */
  minDigits?: number;
  /** Most digits to collect: the gather ends with `dtmfDetected` as soon as this many are in. */
  maxDigits?: number;
  /** Seconds allowed between two digits. */
  interDigitTimeout?: number;
  /** Receives each interim transcript (`{ speech, ...call info }`); its answer is ignored. */
  partialResultHook?: JambonzHook;
  /**
   * Accepted by verb-specifications (a number, seconds by its name), but feature server 0.9.8
   * reads it and never uses it (`lib/tasks/gather.js`): it has no effect. Bound the wait with
   * {@link timeout}.
   */
  speechTimeout?: number;
  /** Listen while the prompt plays. */
  listenDuringPrompt?: boolean;
  /** A digit stops the prompt. */
  dtmfBargein?: boolean;
  /** Speech stops the prompt. */
  bargein?: boolean;
  /** Words needed before speech stops the prompt. */
  minBargeinWordCount?: number;
  /** Seconds to wait for input before ending with `timeout`. Default 15; 0 waits forever. */
  timeout?: number;
  /**
   * STT settings for this gather (used when `input` includes `'speech'`). Keys left out come
   * from the session (`config` verb), then from the application's defaults.
   */
  recognizer?: JambonzRecognizer;
  /** Prompt to play while gathering. */
  play?: JambonzPlayOptions;
  /** Prompt to speak while gathering. */
  say?: JambonzSayOptions;
  /** Noise to play while the action hook is being answered. */
  fillerNoise?: {
    /**
     * Turn filler noise on for this gather. Note: feature server 0.9.8 tests a key named
     * `enabled`, so `enable: false` here does not turn off filler noise set by a `config` verb.
     */
    enable: boolean;
    /** URL of the audio file to play (http or https). Absent: the one set by a `config` verb. */
    url?: string;
    /** Seconds to wait after sending the result before the noise starts. Absent or 0: start at once. */
    startDelaySecs?: number;
  };
  /** What to do while the action hook is slow to answer. */
  actionHookDelayAction?: JambonzVerbOptions;
}

/** Where a `dial` verb calls (verb-specifications `target`). */
export interface JambonzDialTarget {
  /** `phone`: a number, via a carrier; `sip`: a SIP URI; `user`: a registered user; `teams`: Microsoft Teams. */
  type: 'phone' | 'sip' | 'user' | 'teams';
  /** The number (`phone`, `teams`). */
  number?: string;
  /** The SIP URI (`sip`). */
  sipUri?: string;
  /** The user (`user`), or a display name. */
  name?: string;
  /** The Teams tenant (`teams`). */
  tenant?: string;
  /** Name of the carrier to use (`phone`). */
  trunk?: string;
  /** Runs on the answered leg before it is bridged (screening, whisper). */
  confirmHook?: JambonzHook;
  /** HTTP method of `confirmHook`. */
  method?: 'GET' | 'POST';
  /** SIP headers to add to the outbound INVITE. */
  headers?: Record<string, string>;
  /** Override of the From URI's user and host. */
  from?: {
    /** User part for the From URI (e.g. a number); sent to the SBC as `X-Preferred-From-User`. */
    user?: string;
    /** Host part for the From URI (a domain or IP address); sent to the SBC as `X-Preferred-From-Host`. */
    host?: string;
  };
  /** SIP digest credentials, when the far end challenges. */
  auth?: {
    /** User name to answer a 401/407 digest challenge with. */
    username: string;
    /** Password to answer a 401/407 digest challenge with. */
    password: string;
  };
  /** Follow the call into voicemail (`teams`). */
  vmail?: boolean;
  /** Request-URI to use instead of the one built from the target. */
  overrideTo?: string;
  /** SIP proxy to send the INVITE through. */
  proxy?: string;
}

/** Answering machine detection settings (verb-specifications `amd`). */
export interface JambonzAmdOptions {
  /** Receives the detection events (`AmdActionPayload`). */
  actionHook: JambonzHook;
  /** A greeting of this many words or more is taken for a machine, a shorter final one for a person. Default 9. */
  thresholdWordCount?: number;
  /** A greeting with this many digits in a row is taken for a machine. Default 0: off. */
  digitCount?: number;
  /** Timers, in milliseconds: `noSpeechTimeoutMs`, `decisionTimeoutMs`, `toneTimeoutMs`, `greetingCompletionTimeoutMs`. */
  timers?: {
    /** Milliseconds without any speech before reporting `amd_no_speech_detected`. Default 5000. */
    noSpeechTimeoutMs?: number;
    /** Milliseconds without a human/machine decision before reporting `amd_decision_timeout`. Default 15000. */
    decisionTimeoutMs?: number;
    /**
     * Milliseconds to listen for the voicemail beep. Default 20000. When it runs out detection
     * stops: the hook gets `amd_stopped`, not a tone-timeout event (feature server
     * `lib/utils/amd-utils.js`).
     */
    toneTimeoutMs?: number;
    /**
     * Milliseconds of silence after a machine greeting before reporting
     * `amd_machine_stopped_speaking`. Default 2000 (1000 once a beep was heard).
     */
    greetingCompletionTimeoutMs?: number;
  };
  /**
   * STT used to transcribe the greeting. Vendor, language and label default to the session's
   * recognizer.
   */
  recognizer?: JambonzRecognizer;
}

/** Place an outbound call and bridge it to this one; the outcome goes to `actionHook` (see `DialActionPayload`). */
export interface JambonzDialVerb {
  /** Verb name, always `'dial'`. */
  verb: 'dial';
  /** An id of your own for the verb; the action hook echoes it as `verb_id`. */
  id?: string;
  /** Who to call; several targets ring at once, the first to answer wins. */
  target: JambonzDialTarget[];
  /** Receives the outcome (`DialActionPayload`); its answer is the next verb array. */
  actionHook?: JambonzHook;
  /** Runs on the answered leg before it is bridged (screening, whisper). */
  confirmHook?: JambonzHook;
  /** Answers the verbs to play when the dialled party puts the call on hold. */
  onHoldHook?: JambonzHook;
  /** Receives SIP REFER requests (transfers) from the dialled party. */
  referHook?: JambonzHook;
  /** Receives the digits matched by `dtmfCapture`. */
  dtmfHook?: JambonzHook;
  /** Digit sequences to watch for on each leg. */
  dtmfCapture?: JambonzVerbOptions;
  /** Answer the inbound call only when the dialled party answers. */
  answerOnBridge?: boolean;
  /** Caller id to present. */
  callerId?: string;
  /** Caller name to present. */
  callerName?: string;
  /** URL of audio to play to the caller while the call rings. */
  dialMusic?: string;
  /** SIP headers to add to the outbound INVITE. */
  headers?: Record<string, string>;
  /** Keep the media flowing through jambonz even when not needed. */
  anchorMedia?: boolean;
  /**
   * Once the call is bridged, take jambonz out of the media path entirely (feature server and SBC),
   * so the audio never reaches jambonz, e.g. for PCI-compliant payments; recording, listening
   * and transcription then stop working. Default `false`. Ignored when `anchorMedia` is set, and
   * has no effect while anything keeps media on the feature server (`listen`, `transcribe`,
   * `amd`, `dub`, background recording, `onHoldMusic`, transcoding) (feature server
   * `lib/tasks/dial.js`).
   */
  exitMediaPath?: boolean;
  /** Gain applied to the audio, in decibels (a number, or a string such as `'6 dB'`). */
  boostAudioSignal?: number | string;
  /** Stream the call's audio to a websocket (`listen` options). */
  listen?: JambonzVerbOptions;
  /** Same as `listen`. */
  stream?: JambonzVerbOptions;
  /** Transcribe the call (`transcribe` options). */
  transcribe?: JambonzVerbOptions;
  /** Answering machine detection on the dialled leg. */
  amd?: JambonzAmdOptions;
  /** Extra audio tracks (`dub` verbs). */
  dub?: JambonzVerbOptions[];
  /** Data attached to the dialled leg, sent as its `customerData`. */
  tag?: Record<string, unknown>;
  /** Maximum length of the bridged call, seconds. */
  timeLimit?: number;
  /** Seconds to ring before giving up. Default 60. */
  timeout?: number;
  /** SIP proxy to send the INVITE through. */
  proxy?: string;
  /** Pass the caller's P-Asserted-Identity on to the dialled leg. */
  forwardPAI?: boolean;
  /** Encrypt the dialled leg's media. */
  srtpEncryption?: 'sdes' | 'dtls';
}

/** End the call. */
export interface JambonzHangupVerb {
  /** Verb name, always `'hangup'`. */
  verb: 'hangup';
  /**
   * An id of your own for the verb. This verb has no action hook; jambonz sends the id only in
   * websocket messages about the verb (`verb:status` when `notifyEvents` is on, `jambonz:error`).
   */
  id?: string;
  /** SIP headers to add to the BYE. */
  headers?: Record<string, string>;
}

/** Wait in silence. */
export interface JambonzPauseVerb {
  /** Verb name, always `'pause'`. */
  verb: 'pause';
  /**
   * An id of your own for the verb. This verb has no action hook; jambonz sends the id only in
   * websocket messages about the verb (`verb:status` when `notifyEvents` is on, `jambonz:error`).
   */
  id?: string;
  /** Seconds. */
  length: number;
}

/** Fetch a new verb array from another URL and run it instead of the rest of this one. */
export interface JambonzRedirectVerb {
  /** Verb name, always `'redirect'`. */
  verb: 'redirect';
  /** An id of your own for the verb; the request to `actionHook` carries it as `verb_id`. */
  id?: string;
  /** Where to fetch the new verbs; an absolute URL also becomes the base of later relative hooks. */
  actionHook: JambonzHook;
  /** A new call status hook for the rest of the call. */
  statusHook?: JambonzHook;
}

/**
 * Connect the call to a speech-to-speech model (OpenAI realtime, Google Gemini live,
 * Deepgram voice agent, Ultravox, ElevenLabs...).
 */
export interface JambonzLlmVerb {
  /** Verb name, always `'llm'`. */
  verb: 'llm';
  /** An id of your own for the verb; the action hook echoes it as `verb_id`. */
  id?: string;
  /** `openai`, `microsoft`, `google`, `deepgram` / `voiceagent`, `ultravox`, `elevenlabs`. */
  vendor: string;
  /** The vendor's model name. */
  model?: string;
  /** Credentials for the vendor (e.g. `{ apiKey }`), when not taken from the account. */
  auth?: JambonzVerbOptions;
  /** Where to connect (host, path) when not the vendor's default. */
  connectOptions?: JambonzVerbOptions;
  /** MCP servers whose tools the model may call (jambonz calls them itself). */
  mcpServers?: Array<{
    /** URL of the MCP server's SSE endpoint; jambonz connects when the verb starts and lists its tools. */
    url: string;
    /** Accepted by verb-specifications, but feature server 0.9.8 does not use it (`lib/utils/llm-mcp.js`). */
    auth?: JambonzVerbOptions;
    /**
     * Accepted in form only: verb-specifications 0.1.13 checks each item against a `root` type
     * it does not define, so any non-empty array is rejected; feature server 0.9.8 ignores it.
     */
    roots?: JambonzVerbOptions[];
  }>;
  /** Receives `LlmActionPayload` when the conversation ends; its answer is the next verb array. */
  actionHook?: JambonzHook;
  /** Receives the vendor's events (`LlmEventPayload`). */
  eventHook?: JambonzHook;
  /** Receives function calls (`LlmToolCallPayload`) and answers their result. */
  toolHook?: JambonzHook;
  /** Which vendor events go to `eventHook` (names, wildcards, `-` to exclude). */
  events?: string[];
  /** What jambonz sends the vendor to set the session up (vendor specific). */
  llmOptions: JambonzVerbOptions;
}

/** Change session-wide settings (speech, barge-in, recording, streaming, AMD...). */
export interface JambonzConfigVerb {
  /** Verb name, always `'config'`. */
  verb: 'config';
  /**
   * An id of your own for the verb. jambonz sends it only in websocket messages about the verb
   * (`verb:status` when `notifyEvents` is on, `jambonz:error`), not to the `amd` action hook.
   */
  id?: string;
  /** Default TTS settings for the rest of the call. */
  synthesizer?: JambonzSynthesizer;
  /** Default STT settings for the rest of the call. */
  recognizer?: JambonzRecognizer;
  /** Background gather that lets the caller interrupt any prompt. */
  bargeIn?: JambonzVerbOptions;
  /**
   * Background streaming TTS, websocket applications only (ignored over HTTP):
   * `{ enable: true }` starts a streaming `say` that speaks whatever text the application
   * streams (`tts:tokens`) at any point of the call; `{ enable: false }` stops it. It uses this
   * verb's `synthesizer`, else the session's; feature server 0.9.8 ignores a `synthesizer`
   * nested in `ttsStream` although verb-specifications accepts one (`lib/tasks/config.js`).
   */
  ttsStream?: JambonzVerbOptions;
  /** Start, stop, pause or resume call recording. */
  record?: JambonzVerbOptions;
  /** Start or stop streaming audio to a websocket. */
  listen?: JambonzVerbOptions;
  /** Same as `listen`. */
  stream?: JambonzVerbOptions;
  /** Start or stop background transcription. */
  transcribe?: JambonzVerbOptions;
  /** Answering machine detection for the call. */
  amd?: JambonzAmdOptions;
  /**
   * Session-wide filler noise: audio played after a gather sends its result, until the action
   * hook answers. A gather's own `fillerNoise` takes precedence.
   */
  fillerNoise?: {
    /** `true` turns filler noise on for the rest of the call, `false` turns it off. */
    enable: boolean;
    /** URL of the audio file to play (http or https); needed when turning it on. */
    url?: string;
    /** Seconds to wait after a gather sends its result before the noise starts. Absent or 0: start at once. */
    startDelaySecs?: number;
  };
  /** Send verb status events (websocket applications). */
  notifyEvents?: boolean;
  /** Add the `stt_*` latency fields to gather action hooks. */
  notifySttLatency?: boolean;
  /** Settings to put back to their defaults (`'synthesizer'`, `'recognizer'`). */
  reset?: string | string[];
  /** URL of audio played to a party on hold. */
  onHoldMusic?: string;
  /**
   * Session-wide handling of slow action hooks: `enabled`, `noResponseTimeout` (seconds before
   * the `actions` start), `noResponseGiveUpTimeout` (seconds before giving up), `retries`,
   * `actions` (`say` or `play` verbs) and `giveUpActions`. A gather's own setting overrides it
   * for that gather (feature server `lib/utils/action-hook-delay.js`).
   */
  actionHookDelayAction?: JambonzVerbOptions;
  /** Receives SIP INFO and MESSAGE requests arriving within the call. */
  sipRequestWithinDialogHook?: JambonzHook;
  /**
   * Gain, in decibels, applied to the audio sent to the caller (main track, not `dub` tracks):
   * a number, or a string with a `dB` unit such as `'-6 dB'` (a string without `dB` counts as 0;
   * feature server `lib/utils/parse-decibels.js`).
   */
  boostAudioSignal?: number | string;
  /**
   * Session-wide voice activity detection, used by gathers (speech barge-in with
   * `minBargeinWordCount: 0`) and for STT latency: `enable`, `voiceMs` (ms of voice before
   * speech is detected, default 250), `silenceMs` (default 150), `strategy` (default
   * `'one-shot'`), `mode` (webrtc aggressiveness 0 to 3, default 2), `vendor` (`'webrtc'` or
   * `'silero'`, default `'silero'`), `threshold` (silero, 0 to 1, default 0.5), `speechPadMs`
   * (default 30) (feature server `lib/tasks/config.js`).
   */
  vad?: JambonzVerbOptions;
  /** Receives SIP REFER requests (transfers). */
  referHook?: JambonzHook;
  /**
   * Accepted by verb-specifications (added with streaming TTS), but feature server 0.9.8 does
   * not read it on `config` (`lib/tasks/config.js`): set `earlyMedia` on the `say`, `play` or
   * `gather` instead.
   */
  earlyMedia?: boolean;
  /**
   * `true`: every later `say` is played as streaming TTS, as if it had `stream: true` (needs a
   * TTS vendor that supports streaming). Default `false`.
   */
  autoStreamTts?: boolean;
  /**
   * Session default for the `say` option of the same name: `true` bypasses jambonz's TTS cache
   * for the rest of the call. Default `false`.
   */
  disableTtsCache?: boolean;
  /**
   * Ask jambonz to track which streamed TTS text was actually played (ElevenLabs only, per the
   * verb-specifications change that added it). Accepted by verb-specifications 0.1.13, not read
   * by feature server 0.9.8.
   */
  trackTtsPlayout?: boolean;
  /**
   * Noise suppression on the caller's audio: `enable`, `vendor` (`'krisp'` by default), `level`
   * (0 to 100, default 100), `model`. Accepted by verb-specifications; feature server 0.9.8 does
   * not act on it (the support exists only on an unreleased feature-server branch).
   */
  noiseIsolation?: JambonzVerbOptions;
  /**
   * Turn-taking (end-of-turn) detection: `enable`, `vendor`, `threshold`, `model`. Accepted by
   * verb-specifications; feature server 0.9.8 does not act on it.
   */
  turnTaking?: JambonzVerbOptions;
}

/** The verbs typed in detail. */
export type JambonzKnownVerb =
  | JambonzSayVerb
  | JambonzPlayVerb
  | JambonzGatherVerb
  | JambonzDialVerb
  | JambonzHangupVerb
  | JambonzPauseVerb
  | JambonzRedirectVerb
  | JambonzLlmVerb
  | JambonzConfigVerb;

/**
 * The other verbs jambonz runs (feature server `lib/tasks/make_task.js`), and the aliases
 * verb-specifications turns into `listen` (`stream`) or `llm` (`s2s`, `openai_s2s`...).
 */
export type JambonzOtherVerbName =
  | 'alert'
  | 'answer'
  | 'conference'
  | 'dequeue'
  | 'dialogflow'
  | 'dtmf'
  | 'dub'
  | 'enqueue'
  | 'leave'
  | 'lex'
  | 'listen'
  | 'message'
  | 'rasa'
  | 'sip:decline'
  | 'sip:refer'
  | 'sip:request'
  | 'stream'
  | 'tag'
  | 'transcribe'
  | 's2s'
  | 'openai_s2s'
  | 'microsoft_s2s'
  | 'google_s2s'
  | 'elevenlabs_s2s'
  | 'deepgram_s2s'
  | 'voiceagent_s2s'
  | 'ultravox_s2s';

/** A verb these types do not detail: its name is checked, its properties are not. */
export interface JambonzOtherVerb {
  /** Verb name (see {@link JambonzOtherVerbName}); jambonz validates the other properties against its spec. */
  verb: JambonzOtherVerbName;
  [property: string]: unknown;
}

/** One verb of a verb array. */
export type JambonzVerb = JambonzKnownVerb | JambonzOtherVerb;

/**
 * What a call hook or a verb's action hook answers: the verbs to run, in order. An empty array
 * is allowed for action hooks (the application then goes on where it was); a call hook that
 * answers no verb makes jambonz reject the call.
 */
export type JambonzVerbList = JambonzVerb[];
