import { ConflictException } from '@nestjs/common';
import { JAMBONZ_REPLAY_MESSAGE, JambonzReplayException } from './jambonz-replay.exception.js';

describe('JambonzReplayException', () => {
  it.each(['replay_detected', 'replay_in_flight'] as const)(
    'answers 409 with a fixed message, keeping the reason (%s)',
    (reason) => {
      const duplicate = new JambonzReplayException(reason);
      expect(duplicate).toBeInstanceOf(ConflictException);
      expect(duplicate.getStatus()).toBe(409);
      expect(duplicate.getResponse()).toEqual({ statusCode: 409, message: 'Duplicate jambonz webhook', error: 'Conflict' });
      expect(JAMBONZ_REPLAY_MESSAGE).toBe('Duplicate jambonz webhook');
      expect(duplicate.reason).toBe(reason);
    },
  );
});
