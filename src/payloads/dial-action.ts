import type { JambonzCallState, JambonzCallStatus } from './common.js';

/**
 * Body of the `actionHook` of a `dial` verb, sent when the dial ends (the dialled party hung
 * up, nobody answered, or the dial was ended). The call information is that of the calling
 * leg (the A leg); the `dial_*` fields describe the dialled leg. The answer is the verb array
 * to run next on the calling leg.
 *
 * The `dial_*` fields are absent when no dialled leg got as far as a status (for instance when
 * every target failed to be created).
 *
 * Source: feature server `lib/tasks/dial.js` (`this.results`, then `performAction`); jambonz
 * schema `callbacks/dial.schema.json`.
 */
export interface DialActionPayload extends JambonzCallState {
  /**
   * Last state of the dialled leg: `completed` once a leg was answered and bridged, otherwise
   * the last state a dialled leg reported (`busy`, `no-answer`, `failed`...).
   */
  dial_call_status?: JambonzCallStatus;
  /** Last SIP status code of the dialled leg (200 when answered, 486, 487, 603...). */
  dial_sip_status?: number;
  /** `call_sid` of the dialled leg. */
  dial_call_sid?: string;
  /** SBC `Call-ID` of the dialled leg, when known (recent feature servers only). */
  dial_sbc_callid?: string;
  /** The `id` given to the dial verb, when it had one (feature server `lib/tasks/task.js`). */
  verb_id?: string;
}
