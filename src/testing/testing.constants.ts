import type { BasicCredentials } from '../core/index.js';
import { DEFAULT_SET } from '../jambonz-auth.constants.js';

/**
 * The webhook secret for tests and local development: `signWebhook` signs with it by default,
 * the sample app accepts it when no secret is configured, and `jambonz-webhook` signs with it
 * when given none, so the three agree out of the box.
 *
 * It is public (it is in this package's source), so a server configured with it is not
 * protected: use it only in tests and on your own machine. It is not the well-known secret of
 * jambonz's open-source seed database, so the module accepts it without `allowWellKnownSecret`.
 */
export const TEST_WEBHOOK_SECRET = 'wh_secret_testOnlyTestOnly00';

/**
 * Basic credentials for tests and local development, the counterpart of
 * {@link TEST_WEBHOOK_SECRET} for apps whose jambonz hooks carry a username and password:
 * `{ username: 'jambonz', password: 'test-only-password' }`. Fixed, so that a test and the app
 * it tests (or the sample app and `jambonz-webhook`) need no shared setup.
 *
 * Public like the test secret: never configure them on a server that others can reach. Short
 * enough (36 characters of base64) for every place jambonz sends credentials, the audio fork
 * included, which drops credentials longer than its 128-byte buffer. Frozen.
 */
export const TEST_CREDENTIALS: BasicCredentials = Object.freeze({ username: 'jambonz', password: 'test-only-password' });

/**
 * The webhook secret the testing helpers use for a secret set: {@link TEST_WEBHOOK_SECRET} for
 * `secret` (the set `'default'`), and one derived from the name for each of `namedSecrets`
 * (`wh_secret_testOnlyTestOnly00_<set>`). Public and deterministic: for tests only.
 */
export function testSecret(set: string = DEFAULT_SET): string {
  return set === DEFAULT_SET ? TEST_WEBHOOK_SECRET : `${TEST_WEBHOOK_SECRET}_${set}`;
}

/**
 * The Basic credentials the testing helpers use for a credential set: {@link TEST_CREDENTIALS}
 * for `basicAuth` (the set `'default'`), and `{ username: 'jambonz-<set>', password:
 * 'test-only-password-<set>' }` for each of `namedCredentials`. Public and deterministic: for
 * tests only.
 */
export function testCredentials(set: string = DEFAULT_SET): BasicCredentials {
  return set === DEFAULT_SET
    ? TEST_CREDENTIALS
    : Object.freeze({ username: `${TEST_CREDENTIALS.username}-${set}`, password: `${TEST_CREDENTIALS.password}-${set}` });
}
