// Values shared by the bench's processes.

/** The webhook secret of the fixtures' vectors (test data, not jambonz's well-known default). */
export const SECRET = 'wh_secret_7Xq2Lm9vKp3Rt8Wz4Nc6Bd';

/** `t` of the HTTP bench's signature; the app's clock is pinned to it so the signature stays valid. */
export const FIXED_T = 1715000000;

/** The module's default tolerance (seconds), which the floor route applies too. */
export const TOLERANCE_S = 300;

/** The HTTP bench's three routes (see http.server.mjs). */
export const ROUTES = Object.freeze({ plain: '/bench/plain', floor: '/bench/floor', guarded: '/bench/guarded' });

/** `header` with the first hex digit of its `v1` changed: a forged signature. */
export function forged(header) {
  return header.replace(/v1=(.)/, (_, c) => `v1=${c === '0' ? '1' : '0'}`);
}
