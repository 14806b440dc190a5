import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_REALM,
  JAMBONZ_AUTH_CONFIG,
  JAMBONZ_AUTH_CONTEXT,
  JAMBONZ_AUTH_MODULE_OPTIONS,
  JAMBONZ_WEBHOOK_OPTIONS,
  SIGNATURE_HEADER,
  WELL_KNOWN_JAMBONZ_SECRET,
} from './jambonz-auth.constants.js';
import { JAMBONZ_REPLAY_MESSAGE, JambonzReplayException } from './jambonz-replay.exception.js';
import { JAMBONZ_UNAUTHORIZED_MESSAGE, JambonzUnauthorizedException } from './jambonz-unauthorized.exception.js';

describe('the tokens and keys the ESM and CommonJS builds must agree on', () => {
  it('are fixed strings and registered symbols', () => {
    expect(JAMBONZ_AUTH_MODULE_OPTIONS).toBe('nestjs-jambonz-auth:module-options');
    expect(JAMBONZ_AUTH_CONFIG).toBe('nestjs-jambonz-auth:config');
    expect(JAMBONZ_WEBHOOK_OPTIONS).toBe('nestjs-jambonz-auth:webhook-options');
    expect(JAMBONZ_AUTH_CONTEXT).toBe(Symbol.for('nestjs-jambonz-auth:context'));
  });
});

describe('defaults and well-known values', () => {
  it('match the documentation and jambonz', () => {
    expect(SIGNATURE_HEADER).toBe('jambonz-signature');
    expect(DEFAULT_REALM).toBe('jambonz');
    expect(DEFAULT_MAX_BODY_BYTES).toBe(1_048_576);
    // The webhook secret jambonz's open-source seed database ships with.
    expect(WELL_KNOWN_JAMBONZ_SECRET).toBe('wh_secret_cJqgtMDPzDhhnjmaJH6Mtk');
  });
});

describe('the exceptions', () => {
  it('answer 401 and 409 with fixed messages that say nothing about why', () => {
    const unauthorized = new JambonzUnauthorizedException(['signature_mismatch', 'missing_credentials']);
    expect(unauthorized.getStatus()).toBe(401);
    expect(unauthorized.getResponse()).toEqual({
      statusCode: 401,
      message: 'Invalid or missing jambonz webhook authentication',
      error: 'Unauthorized',
    });
    expect(JAMBONZ_UNAUTHORIZED_MESSAGE).toBe('Invalid or missing jambonz webhook authentication');
    expect(unauthorized.reasons).toEqual(['signature_mismatch', 'missing_credentials']);

    const duplicate = new JambonzReplayException('replay_in_flight');
    expect(duplicate.getStatus()).toBe(409);
    expect(duplicate.getResponse()).toEqual({ statusCode: 409, message: 'Duplicate jambonz webhook', error: 'Conflict' });
    expect(JAMBONZ_REPLAY_MESSAGE).toBe('Duplicate jambonz webhook');
    expect(duplicate.reason).toBe('replay_in_flight');
  });
});
