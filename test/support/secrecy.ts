// Runs after every test file (Jest setupFilesAfterEnv): no reply and no log line of any app the
// file ran may contain a webhook secret, an expected signature or a configured password.
import { allLogLines } from './captured-logs.js';
import { allReplies } from './http.js';

/** Passwords the suites configure; their secrets all start with `wh_secret_`. */
export const TEST_PASSWORDS = ['p:ss wörd', 'route:pass', 'old-pass', 'inherited-pass'];

const FORBIDDEN: ReadonlyArray<[string, RegExp]> = [
  ['a webhook secret', /wh_secret_/],
  ['a full HMAC-SHA256 value (expected or received signature)', /[0-9a-f]{64}/],
  ...TEST_PASSWORDS.map((password): [string, RegExp] => [
    'a configured password',
    new RegExp(password.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
  ]),
];

afterAll(() => {
  for (const [source, texts] of [
    ['log line', allLogLines],
    ['reply', allReplies],
  ] as const) {
    for (const text of texts) {
      for (const [what, pattern] of FORBIDDEN) {
        if (pattern.test(text)) {
          throw new Error(`A ${source} contains ${what}: ${text.slice(0, 300)}`);
        }
      }
    }
  }
});
