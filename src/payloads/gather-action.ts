import type { JambonzCallState } from './common.js';

/**
 * Why a `gather` verb ended (feature server `lib/tasks/gather.js`, `_resolve`):
 * - `speechDetected`: a transcript arrived, in `speech`;
 * - `dtmfDetected`: digits were collected, in `digits`;
 * - `timeout`: nothing usable arrived before the timeout;
 * - `error`: the speech recogniser failed, details in `details`;
 * - `stt-low-confidence`: a transcript arrived, in `speech`, but with a confidence below the
 *   recogniser's `minConfidence`.
 */
export type GatherReason = 'speechDetected' | 'dtmfDetected' | 'timeout' | 'error' | 'stt-low-confidence';

/**
 * Body of the `actionHook` of a `gather` verb, sent when the gather ends. The answer is the
 * verb array to run next (an empty array, or no verbs, lets the application go on after the
 * gather).
 *
 * Source: feature server `lib/tasks/gather.js` (`_resolve`), `lib/tasks/task.js`
 * (`performAction`); jambonz schema `callbacks/gather.schema.json`.
 */
export interface GatherActionPayload extends JambonzCallState {
  /** Why the gather ended, which says which of the fields below are present (see {@link GatherReason}). Always sent. */
  reason: GatherReason;
  /** Digits the caller pressed, as a string (`'4071'`). With `dtmfDetected`. */
  digits?: string;
  /** The transcript. With `speechDetected` and `stt-low-confidence`. */
  speech?: JambonzSpeechResult;
  /** What the speech recogniser reported when it failed (vendor specific). With `error`. */
  details?: unknown;
  /** The `id` given to the gather verb, when it had one (feature server `lib/tasks/task.js`). */
  verb_id?: string;
  /**
   * Speech-to-text latency, in milliseconds, from the end of the caller's speech to the
   * transcript: one value per transcript, comma-separated in a string (`'412'`, `'380,412'`).
   * This and the other `stt_*` fields are sent only when a `config` verb has turned on
   * `notifySttLatency`, and not with `dtmfDetected` (feature server
   * `lib/utils/stt-latency-calculator.js`).
   */
  stt_latency_ms?: string;
  /**
   * Periods the caller was talking, as a JSON-encoded string of `[start, stop]` pairs in Unix
   * seconds (`'[[1715000000,1715000002]]'`).
   */
  stt_talkspurts?: string;
  /** When speech recognition started, Unix seconds. */
  stt_start_time?: number;
  /** When speech recognition stopped, Unix seconds. */
  stt_stop_time?: number;
  /** Seconds of speech recognition used, as a string with two decimals (`'2.87'`): what the STT vendor bills. */
  stt_usage?: string;
}

/**
 * A transcript, in the form jambonz gives every vendor's result (feature server
 * `lib/utils/transcription-utils.js`). Also what `gather`'s `partialResultHook` receives under
 * `speech`.
 */
export interface JambonzSpeechResult {
  /** Language of the transcript (`en-US`): the recogniser's language, or the one the vendor detected. */
  language_code: string;
  /** Audio channel the speech came from (1 for a plain call). */
  channel_tag: number;
  /** `true` for a final transcript, `false` for an interim one. */
  is_final: boolean;
  /** Candidate transcripts, best first; jambonz usually keeps only the best. */
  alternatives: JambonzSpeechAlternative[];
  /** Which vendor produced the transcript, and its raw result. */
  vendor?: JambonzSpeechVendorData;
}

/** One candidate transcript. */
export interface JambonzSpeechAlternative {
  /** The recognised text. */
  transcript: string;
  /** The vendor's confidence, 0 to 1; not every vendor gives one. */
  confidence?: number;
}

/** The vendor's own result behind a {@link JambonzSpeechResult}. */
export interface JambonzSpeechVendorData {
  /** STT vendor (`google`, `microsoft`, `deepgram`, `aws`, `soniox`, `custom:...`...). */
  name: string;
  /**
   * The vendor's raw event, or an array of them when jambonz joined several results into one
   * transcript. Its keys are snake_cased like the rest of the body (Google's `isFinal` arrives
   * as `is_final`).
   */
  evt?: unknown;
  /** Soniox only: whether the vendor marked the end of the utterance. */
  endpoint_reached?: boolean;
  /** Soniox only: the final tokens of the result. */
  final_words?: unknown[];
  /** Soniox only: the tokens not yet final. */
  non_final_words?: unknown[];
}
