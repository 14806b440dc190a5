import { verifySignature } from '../core/index.js';
import { signWebhook, TEST_WEBHOOK_SECRET } from './sign-webhook.js';

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

  it.each([
    ['undefined', undefined],
    ['a function', () => 1],
    ['a symbol', Symbol('x')],
  ])('refuses %s, which has no JSON form, with a TypeError that says so', (_case, payload) => {
    expect(() => signWebhook(payload)).toThrow(
      new TypeError('signWebhook: the payload has no JSON form (undefined, a function or a symbol)'),
    );
  });
});
