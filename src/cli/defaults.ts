/**
 * Where `send` posts when neither `--url` nor `$JAMBONZ_WEBHOOK_URL` says otherwise: the call
 * hook of the sample app (`npm start`), which listens on 127.0.0.1:3000.
 */
export const DEFAULT_WEBHOOK_URL = 'http://127.0.0.1:3000/call';

/**
 * The sample app's built-in development webhook secret, used when no secret is configured. It is
 * public (it is in the source), so it protects nothing: it only lets the sample and the CLI agree
 * out of the box. The sample app defines the same value in `sample/jambonz-config.ts`, because it
 * may use only the package's public API; a test keeps the two equal.
 */
export const SAMPLE_DEV_SECRET = 'wh_secret_sampleDevOnly0000000000';

/**
 * Environment variables the CLI reads: the sample app reads the same names, so one set of
 * exports configures both.
 */
export const ENV = Object.freeze({
  /** Default `--url`. */
  url: 'JAMBONZ_WEBHOOK_URL',
  /**
   * Default `--secret`. The sample app accepts a comma-separated list (rotation); jambonz signs
   * with one secret, so the CLI signs with the first item of such a list.
   */
  secret: 'JAMBONZ_WEBHOOK_SECRET',
  /** Default `--user`. */
  username: 'JAMBONZ_WEBHOOK_USERNAME',
  /** Default `--pass`. */
  password: 'JAMBONZ_WEBHOOK_PASSWORD',
});

/**
 * How long `send` waits for the response, in milliseconds: jambonz gives up on a webhook after
 * 10 s (feature server `lib/utils/http-requestor.js`, `HTTP_TIMEOUT`).
 */
export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The only statuses jambonz treats as a successful webhook (feature server
 * `lib/utils/http-requestor.js`); anything else, Nest's 201 for POST included, fails the call.
 */
export const ACCEPTED_STATUSES: readonly number[] = Object.freeze([200, 202, 204]);

/**
 * Where a bare `<payload>` name that is neither a sample nor a file is looked up, relative to the
 * working directory: this repository's realistic webhook captures, so that
 * `npm run webhook -- call-hook-inbound-unicode-caller` works from the repository root.
 */
export const FIXTURES_DIR = 'test/fixtures/jambonz-webhooks';
