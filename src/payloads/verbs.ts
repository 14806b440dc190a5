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
  fallbackVendor?: string;
  fallbackLabel?: string;
  fallbackLanguage?: string;
  fallbackVoice?: string | JambonzVerbOptions;
  /** AWS Polly engine. */
  engine?: 'standard' | 'neural' | 'generative' | 'long-form';
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
  fallbackVendor?: string;
  fallbackLabel?: string;
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
  synthesizer?: JambonzSynthesizer;
  /** Speak before the call is answered (early media), when possible. */
  earlyMedia?: boolean;
  disableTtsCache?: boolean;
  closeStreamOnEmpty?: boolean;
}

/** Speak text with text-to-speech. */
export interface JambonzSayVerb extends JambonzSayOptions {
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
  verb: 'play';
}

/** Collect digits (DTMF) and/or speech; the result goes to `actionHook` (see `GatherActionPayload`). */
export interface JambonzGatherVerb {
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
  minDigits?: number;
  maxDigits?: number;
  /** Seconds allowed between two digits. */
  interDigitTimeout?: number;
  /** Receives each interim transcript (`{ speech, ...call info }`); its answer is ignored. */
  partialResultHook?: JambonzHook;
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
  recognizer?: JambonzRecognizer;
  /** Prompt to play while gathering. */
  play?: JambonzPlayOptions;
  /** Prompt to speak while gathering. */
  say?: JambonzSayOptions;
  /** Noise to play while the action hook is being answered. */
  fillerNoise?: { enable: boolean; url?: string; startDelaySecs?: number };
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
  from?: { user?: string; host?: string };
  /** SIP digest credentials, when the far end challenges. */
  auth?: { username: string; password: string };
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
    noSpeechTimeoutMs?: number;
    decisionTimeoutMs?: number;
    toneTimeoutMs?: number;
    greetingCompletionTimeoutMs?: number;
  };
  recognizer?: JambonzRecognizer;
}

/** Place an outbound call and bridge it to this one; the outcome goes to `actionHook` (see `DialActionPayload`). */
export interface JambonzDialVerb {
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
  verb: 'hangup';
  id?: string;
  /** SIP headers to add to the BYE. */
  headers?: Record<string, string>;
}

/** Wait in silence. */
export interface JambonzPauseVerb {
  verb: 'pause';
  id?: string;
  /** Seconds. */
  length: number;
}

/** Fetch a new verb array from another URL and run it instead of the rest of this one. */
export interface JambonzRedirectVerb {
  verb: 'redirect';
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
  verb: 'llm';
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
  mcpServers?: Array<{ url: string; auth?: JambonzVerbOptions; roots?: JambonzVerbOptions[] }>;
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
  verb: 'config';
  id?: string;
  /** Default TTS settings for the rest of the call. */
  synthesizer?: JambonzSynthesizer;
  /** Default STT settings for the rest of the call. */
  recognizer?: JambonzRecognizer;
  /** Background gather that lets the caller interrupt any prompt. */
  bargeIn?: JambonzVerbOptions;
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
  fillerNoise?: { enable: boolean; url?: string; startDelaySecs?: number };
  /** Send verb status events (websocket applications). */
  notifyEvents?: boolean;
  /** Add the `stt_*` latency fields to gather action hooks. */
  notifySttLatency?: boolean;
  /** Settings to put back to their defaults (`'synthesizer'`, `'recognizer'`). */
  reset?: string | string[];
  /** URL of audio played to a party on hold. */
  onHoldMusic?: string;
  actionHookDelayAction?: JambonzVerbOptions;
  /** Receives SIP INFO and MESSAGE requests arriving within the call. */
  sipRequestWithinDialogHook?: JambonzHook;
  boostAudioSignal?: number | string;
  vad?: JambonzVerbOptions;
  /** Receives SIP REFER requests (transfers). */
  referHook?: JambonzHook;
  earlyMedia?: boolean;
  autoStreamTts?: boolean;
  disableTtsCache?: boolean;
  trackTtsPlayout?: boolean;
  noiseIsolation?: JambonzVerbOptions;
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
