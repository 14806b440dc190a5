import type { JambonzCallState } from './common.js';

/**
 * Answering machine detection events (feature server `lib/utils/constants.json`,
 * `AmdEvents`, and `lib/utils/amd-utils.js`):
 * - `amd_human_detected`: a short greeting, taken for a person;
 * - `amd_machine_detected`: a long greeting, a voicemail phrase, or a string of digits;
 * - `amd_no_speech_detected`: nobody spoke before `noSpeechTimeoutMs`;
 * - `amd_decision_timeout`: no decision before `decisionTimeoutMs`;
 * - `amd_machine_stopped_speaking`: after `amd_machine_detected`, the greeting ended;
 * - `amd_tone_detected`: the voicemail beep, with `frequency` and `variance`;
 * - `amd_stopped`: detection has been stopped;
 * - `amd_tone_timeout`, `amd_error`: defined by jambonz and in its schema, but the current
 *   feature server does not pass them to the hook (the tone timeout is commented out, errors
 *   are only logged and raised as alerts).
 */
export type AmdEventType =
  | 'amd_human_detected'
  | 'amd_machine_detected'
  | 'amd_no_speech_detected'
  | 'amd_decision_timeout'
  | 'amd_machine_stopped_speaking'
  | 'amd_tone_detected'
  | 'amd_tone_timeout'
  | 'amd_error'
  | 'amd_stopped';

/** Why jambonz decided human or machine (feature server `lib/utils/amd-utils.js`, `evaluateTranscription`). */
export type AmdDecisionReason = 'short greeting' | 'long greeting' | 'hint' | 'digit count';

/**
 * Body of the `actionHook` of answering machine detection (`amd` on a `dial` verb, a `config`
 * verb, or a REST `createCall`), sent once per event: a call usually gets several (for
 * instance `amd_machine_detected`, then `amd_machine_stopped_speaking` or
 * `amd_tone_detected`, then `amd_stopped`). The answer can be a verb array, which replaces
 * what the call is doing.
 *
 * Source: feature server `lib/utils/amd-utils.js`, `lib/tasks/dial.js` / `config.js` /
 * `rest_dial.js` (`_onAmdEvent`, then `performHook`); jambonz schema `callbacks/amd.schema.json`.
 */
export interface AmdActionPayload extends JambonzCallState {
  /** The event. */
  type: AmdEventType;
  /** Why jambonz decided. With `amd_human_detected` and `amd_machine_detected`. */
  reason?: AmdDecisionReason;
  /** The transcribed greeting. With `amd_human_detected` and `amd_machine_detected`, except when a hint matched. */
  greeting?: string;
  /** The voicemail phrase that matched (reason `hint`). */
  hint?: string;
  /** Language of the transcribed greeting (`en-US`). With `amd_human_detected` and `amd_machine_detected`. */
  language?: string;
  /** Frequency of the beep, Hz, whole number. With `amd_tone_detected`. */
  frequency?: number;
  /** Frequency variance of the beep, whole number. With `amd_tone_detected`. */
  variance?: number;
}
