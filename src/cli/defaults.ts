/**
 * Where `send` posts when neither `--url` nor `$JAMBONZ_WEBHOOK_URL` says otherwise: the sample
 * app (`npm start`), which listens on 127.0.0.1:3000. A built-in sample goes to its route there
 * (`/call-status` for a call status hook...), a file to {@link DEFAULT_ROUTE}.
 */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:3000';

/** The path a payload from a file goes to by default: the sample app's call hook. */
export const DEFAULT_ROUTE = '/call';

/**
 * How long `send` waits for the response, in milliseconds: jambonz gives up on a webhook after
 * 10 s (feature server `lib/utils/http-requestor.js`, `HTTP_TIMEOUT`).
 */
export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Where a bare `<payload>` name that is neither a sample nor a file is looked up, relative to the
 * working directory: this repository's realistic webhook captures, so that
 * `npm run webhook -- call-hook-inbound-unicode-caller` works from the repository root.
 */
export const FIXTURES_DIR = 'test/fixtures/jambonz-webhooks';

/**
 * Where `session` connects when not given `--url`: the sample app's WebSocket API endpoint
 * (`npm start`), on the same address as {@link DEFAULT_BASE_URL}.
 */
export const DEFAULT_WS_URL = 'ws://127.0.0.1:3000/ws';
