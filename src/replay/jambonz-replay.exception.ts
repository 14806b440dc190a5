import { ConflictException } from '@nestjs/common';

/** The `message` of every 409 replay protection sends. */
export const JAMBONZ_REPLAY_MESSAGE = 'Duplicate jambonz webhook';

/**
 * Why replay protection refused an authentic request:
 * - `replay_detected`: a request with the same signature already succeeded;
 * - `replay_in_flight`: a request with the same signature is being handled right now.
 */
export type JambonzReplayReason = 'replay_detected' | 'replay_in_flight';

/**
 * The 409 Conflict that replay protection answers for a second delivery of a signed request.
 * 409 rather than 401: the request is authentic (its signature verified), it is only a
 * duplicate, and saying so costs nothing, since whoever replays it already holds it. The body is
 * `{ statusCode: 409, message: JAMBONZ_REPLAY_MESSAGE, error: 'Conflict' }`.
 */
export class JambonzReplayException extends ConflictException {
  /** @param reason why the request was refused. */
  constructor(readonly reason: JambonzReplayReason) {
    super(JAMBONZ_REPLAY_MESSAGE);
  }
}
