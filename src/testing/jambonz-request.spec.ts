import { verifySignature } from '../core/index.js';
import { basic } from '../../test/support/http.js';
import { buildJambonzRequest, type JambonzHookMethod } from './jambonz-request.js';
import { TEST_CREDENTIALS, TEST_WEBHOOK_SECRET } from './testing.constants.js';

const T = 1_715_000_000;
const PAYLOAD = { call_sid: 'abc', caller_name: 'Zoë', sip_status: 100 };
const BODY = '{"call_sid":"abc","caller_name":"Zoë","sip_status":100}';

describe('buildJambonzRequest', () => {
  it('builds a POST as jambonz does: its headers in its order and case, the body that was signed', () => {
    const request = buildJambonzRequest(PAYLOAD, { secret: TEST_WEBHOOK_SECRET, timestamp: T, basicAuth: TEST_CREDENTIALS });
    expect(request.method).toBe('POST');
    expect(request.body).toBe(BODY);
    expect(request.headers.map(([name]) => name)).toEqual(['Jambonz-Signature', 'Authorization', 'user-agent', 'Content-Type']);
    const headers = Object.fromEntries(request.headers);
    expect(headers).toMatchObject({
      Authorization: basic(TEST_CREDENTIALS.username, TEST_CREDENTIALS.password),
      'user-agent': 'jambonz',
      'Content-Type': 'application/json',
    });
    expect(verifySignature(request.body!, headers['Jambonz-Signature'], TEST_WEBHOOK_SECRET, { now: T })).toMatchObject({
      timestamp: T,
    });
  });

  it('builds a GET as jambonz does: no body and no content type, and a signature over the payload all the same', () => {
    const request = buildJambonzRequest(PAYLOAD, { method: 'GET', secret: TEST_WEBHOOK_SECRET, timestamp: T });
    expect(request.method).toBe('GET');
    expect(request.body).toBeUndefined();
    expect(request.headers.map(([name]) => name)).toEqual(['Jambonz-Signature', 'user-agent']);
    expect(verifySignature(BODY, request.headers[0]![1], TEST_WEBHOOK_SECRET, { now: T })).toMatchObject({ timestamp: T });
  });

  it('sends no Jambonz-Signature without a secret, as jambonz for an account without one, and defaults to POST', () => {
    const request = buildJambonzRequest(PAYLOAD);
    expect(request).toEqual({
      method: 'POST',
      headers: [
        ['user-agent', 'jambonz'],
        ['Content-Type', 'application/json'],
      ],
      body: BODY,
    });
  });

  it('signs the body null that jambonz sends for a hook without parameters, and a string as it is', () => {
    expect(buildJambonzRequest(null).body).toBe('null');
    expect(buildJambonzRequest('{ "exact": "bytes" }').body).toBe('{ "exact": "bytes" }');
  });

  it('signs with now when given no timestamp', () => {
    const before = Math.floor(Date.now() / 1000);
    const [[, header]] = buildJambonzRequest(PAYLOAD, { secret: TEST_WEBHOOK_SECRET }).headers as Array<[string, string]>;
    const { timestamp } = verifySignature(BODY, header, TEST_WEBHOOK_SECRET);
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it.each([
    [
      'a method jambonz does not use',
      () => buildJambonzRequest(PAYLOAD, { method: 'PUT' as JambonzHookMethod }),
      "method must be 'POST' or 'GET'",
    ],
    [
      'a lower-case method',
      () => buildJambonzRequest(PAYLOAD, { method: 'get' as JambonzHookMethod }),
      "method must be 'POST' or 'GET'",
    ],
    ['a payload without JSON form', () => buildJambonzRequest(undefined), 'the payload has no JSON form'],
    ['an empty secret', () => buildJambonzRequest(PAYLOAD, { secret: '' }), 'secret must be a non-empty string'],
    [
      'a timestamp in milliseconds',
      () => buildJambonzRequest(PAYLOAD, { secret: 's', timestamp: T * 1000 }),
      'timestamp must be whole Unix seconds',
    ],
  ])('refuses %s with a TypeError', (_what, build, message) => {
    expect(build).toThrow(TypeError);
    expect(build).toThrow(message);
  });
});
