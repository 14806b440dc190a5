import { UnauthorizedException } from '@nestjs/common';
import type { JambonzAuthReason } from './core/index.js';

/**
 * The `WWW-Authenticate` value of a 401 where Basic credentials would be accepted (RFC 7617):
 * `Basic realm="<realm>", charset="UTF-8"`. The realm was checked at bootstrap (no quote,
 * backslash or control character).
 */
export function basicChallenge(realm: string): string {
  return `Basic realm="${realm}", charset="UTF-8"`;
}

/** The `message` of every 401 this module sends. It says nothing about why. */
export const JAMBONZ_UNAUTHORIZED_MESSAGE = 'Invalid or missing jambonz webhook authentication';

/**
 * The 401 the guard throws for a request that does not authenticate. The response body is
 * `{ statusCode: 401, message: JAMBONZ_UNAUTHORIZED_MESSAGE, error: 'Unauthorized' }` whatever the
 * reason: no secret, expected signature or credential, and no hint for a forger. The reasons
 * are kept on the exception (and logged by the guard) for exception filters and metrics.
 */
export class JambonzUnauthorizedException extends UnauthorizedException {
  /** @param reasons why each required check failed, most relevant first. */
  constructor(readonly reasons: readonly JambonzAuthReason[]) {
    super(JAMBONZ_UNAUTHORIZED_MESSAGE);
  }
}
