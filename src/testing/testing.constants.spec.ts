import { credentialsProblem } from '../core/basic-credentials.js';
import { WELL_KNOWN_JAMBONZ_SECRET } from '../core/webhook-secret.js';
import { JAMBONZ_ENV } from './jambonz-env.constants.js';
import { TEST_CREDENTIALS, TEST_WEBHOOK_SECRET } from './testing.constants.js';

describe('the development and test defaults', () => {
  it('TEST_WEBHOOK_SECRET is not the well-known seed secret, and has no surrounding white space', () => {
    expect(TEST_WEBHOOK_SECRET).not.toBe(WELL_KNOWN_JAMBONZ_SECRET);
    expect(TEST_WEBHOOK_SECRET).toBe(TEST_WEBHOOK_SECRET.trim());
  });

  it('TEST_CREDENTIALS are usable Basic credentials, fixed, frozen, short enough for the audio fork', () => {
    expect(TEST_CREDENTIALS).toEqual({ username: 'jambonz', password: 'test-only-password' });
    expect(credentialsProblem(TEST_CREDENTIALS)).toBeUndefined();
    expect(Object.isFrozen(TEST_CREDENTIALS)).toBe(true);
    // The fork drops credentials whose base64 form exceeds its 128-byte buffer.
    expect(Buffer.from(`${TEST_CREDENTIALS.username}:${TEST_CREDENTIALS.password}`).toString('base64').length).toBeLessThan(128);
  });

  it('JAMBONZ_ENV names each variable once, frozen', () => {
    expect(JAMBONZ_ENV).toEqual({
      secret: 'JAMBONZ_WEBHOOK_SECRET',
      username: 'JAMBONZ_WEBHOOK_USERNAME',
      password: 'JAMBONZ_WEBHOOK_PASSWORD',
      statusUsername: 'JAMBONZ_STATUS_HOOK_USERNAME',
      statusPassword: 'JAMBONZ_STATUS_HOOK_PASSWORD',
      url: 'JAMBONZ_WEBHOOK_URL',
    });
    expect(Object.isFrozen(JAMBONZ_ENV)).toBe(true);
  });
});
