import { expect } from '@jest/globals';
import { nowInSeconds } from '../../src/core/index.js';
import { JambonzAuthConfigError } from '../../src/jambonz-auth-config.error.js';

/** The message of the `JambonzAuthConfigError` that `run` throws; fails the test when it throws nothing or something else. */
export function configProblem(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(JambonzAuthConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a JambonzAuthConfigError');
}

/** The module's settings when the options set none of them: what the option rules fill in. */
export const DEFAULT_SETTINGS = {
  require: undefined,
  tolerance: 300,
  allowOptionsRequests: true,
  allowReserializedBody: false,
  maxBodyBytes: 1024 * 1024,
  realm: 'jambonz',
  clock: nowInSeconds,
  // Frame limits of the jambonz WebSocket gateways: 1 MiB in, jambonz's own 24 KiB out.
  websocket: { maxIncomingFrameBytes: 1_048_576, maxOutgoingFrameBytes: 24_576 },
} as const;

/** `@JambonzWebhook()` options as validated when none is set: every key present, `undefined`. */
export const UNSET_WEBHOOK_OPTIONS = {
  require: undefined,
  tolerance: undefined,
  credentials: undefined,
  secrets: undefined,
  allowOptionsRequests: undefined,
  replay: undefined,
} as const;
