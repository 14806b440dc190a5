import { verifySignature } from '../core/index.js';
import { basic } from '../../test/support/http.js';
import { signWebhook } from './sign-webhook.js';
import { TEST_CREDENTIALS, TEST_WEBHOOK_SECRET } from './testing.constants.js';

describe('signWebhook', () => {
  it('signs JSON.stringify(payload), or a string as it is, under the test secret by default', () => {
    for (const [payload, body] of [
      [{ call_sid: 'abc', n: 1 }, '{"call_sid":"abc","n":1}'],
      [null, 'null'],
      ['{ "pretty": true }', '{ "pretty": true }'],
    ] as const) {
      const signed = signWebhook(payload, { timestamp: 1715000000 });
      expect(signed.body).toBe(body);
      expect(
        verifySignature(signed.body, signed.headers['jambonz-signature'], TEST_WEBHOOK_SECRET, { now: 1715000000 }),
      ).toMatchObject({
        timestamp: 1715000000,
      });
    }
  });

  it("gives jambonz's POST headers, lower-case, in jambonz's order", () => {
    const signed = signWebhook({ call_sid: 'abc' }, { basicAuth: TEST_CREDENTIALS });
    expect(Object.keys(signed.headers)).toEqual(['jambonz-signature', 'authorization', 'user-agent', 'content-type']);
    expect(signed.headers).toMatchObject({
      authorization: basic(TEST_CREDENTIALS.username, TEST_CREDENTIALS.password),
      'user-agent': 'jambonz',
      'content-type': 'application/json',
    });
    expect(Object.keys(signWebhook({ call_sid: 'abc' }).headers)).toEqual(['jambonz-signature', 'user-agent', 'content-type']);
  });

  it.each([
    ['undefined', undefined],
    ['a function', () => 1],
    ['a symbol', Symbol('x')],
  ])('refuses %s, which has no JSON form, with a TypeError that says so', (_case, payload) => {
    expect(() => signWebhook(payload)).toThrow(
      new TypeError('buildJambonzRequest: the payload has no JSON form (undefined, a function or a symbol)'),
    );
  });

  it('refuses an empty secret rather than sending an unsigned request', () => {
    expect(() => signWebhook({}, { secret: '' })).toThrow(TypeError);
  });
});
