import type { JambonzCallState, JambonzCallStatus, JambonzCallTerminationBy } from './common.js';

/**
 * Body of the application's call status hook (`call_status_hook`), sent each time the state of
 * a call changes: `trying`, `ringing`, `early-media`, `in-progress`, then `completed` (or
 * `failed`, `busy`, `no-answer`). Legs placed by the `dial` verb report their own changes
 * too, with `direction: 'outbound'` and `parent_call_sid` set.
 *
 * jambonz ignores the body of the answer; answer 200, 202 or 204 (it counts any other status,
 * 201 included, as a failed request).
 *
 * Source: feature server `lib/session/call-session.js` (`_notifyCallStatusChange`,
 * `executeStatusCallback`), `lib/utils/place-outdial.js` for dialled legs, and the fields of
 * `CallInfo.toJSON` (`lib/session/call-info.js`).
 */
export interface CallStatusPayload extends JambonzCallState {
  /** The new state of the call. */
  call_status: JambonzCallStatus;
  /** Seconds from answer to hang-up, whole seconds. Only with `completed`. */
  duration?: number;
  /** Who ended the call. Set once it has ended (with `completed`, or `no-answer` when the caller cancelled). */
  call_termination_by?: JambonzCallTerminationBy;
  /**
   * Set to `invalid actionHook response` when a `gather` action hook answered something that
   * is not a valid verb array; jambonz then reports it here, with the validation error in
   * {@link reason} (feature server `lib/tasks/gather.js`, `_resolve`).
   */
  error?: string;
  /** The validation error that came with {@link error}. */
  reason?: string;
}
