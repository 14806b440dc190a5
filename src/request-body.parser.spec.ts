import { BadRequestException } from '@nestjs/common';
import { DECISION_REASON } from './observability/jambonz-auth-decision.factory.js';
import { adoptJsonBody, isJambonzJson, peekJsonBody } from './request-body.parser.js';
import type { WebhookRequest } from './webhook-request.interface.js';

const PAYLOAD = { call_sid: 'abc', caller_name: 'José 王小明 📞' };
const TEXT = JSON.stringify(PAYLOAD);
const BYTES = Buffer.from(TEXT, 'utf8');

const request = (headers: WebhookRequest['headers'], body?: unknown): WebhookRequest => ({ headers, body });

describe('adoptJsonBody', () => {
  describe('parses the verified bytes into req.body for a JSON content type', () => {
    it.each([
      'application/json',
      'application/json; charset=utf-8',
      'application/json;charset=utf-8',
      'application/json ; charset=utf-8',
      'application/json  ',
      'APPLICATION/JSON',
      'Application/Json; Charset=UTF-8',
      'application/vnd.jambonz+json',
      'application/merge-patch+json',
      'application/a.b+json',
      'application/a+b+json',
      'application/x_y+json',
      'application/1+json; charset=utf-8',
    ])('%s', (type) => {
      const req = request({ 'content-type': type });
      adoptJsonBody(req, BYTES);
      expect(req.body).toEqual(PAYLOAD);
    });
  });

  it('reads the first content type of a header sent twice', () => {
    const req = request({ 'content-type': ['application/json', 'text/plain'] });
    adoptJsonBody(req, BYTES);
    expect(req.body).toEqual(PAYLOAD);
    const other = request({ 'content-type': ['text/plain', 'application/json'] });
    adoptJsonBody(other, BYTES);
    expect(other.body).toBeUndefined();
  });

  it('takes the bytes as a string, or as a view into a larger buffer', () => {
    const fromText = request({ 'content-type': 'application/json' });
    adoptJsonBody(fromText, TEXT);
    expect(fromText.body).toEqual(PAYLOAD);
    const pool = Buffer.concat([Buffer.from('{"not":"this"}'), BYTES, Buffer.from('} trailing')]);
    const view = new Uint8Array(pool.buffer, pool.byteOffset + 14, BYTES.length);
    const fromView = request({ 'content-type': 'application/json' });
    adoptJsonBody(fromView, view);
    expect(fromView.body).toEqual(PAYLOAD);
  });

  describe('leaves any other content type unparsed, even when the bytes are JSON', () => {
    it.each<[string, WebhookRequest['headers']]>([
      ['text/plain', { 'content-type': 'text/plain' }],
      ['application/jsonp', { 'content-type': 'application/jsonp' }],
      ['application/json-seq', { 'content-type': 'application/json-seq' }],
      ['application/+json', { 'content-type': 'application/+json' }],
      ['application/vnd.a+jsonx', { 'content-type': 'application/vnd.a+jsonx' }],
      ['x-application/json', { 'content-type': 'x-application/json' }],
      ['a space before the type', { 'content-type': ' application/json' }],
      ['application/x-www-form-urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['an empty content type', { 'content-type': '' }],
      ['no content type', {}],
    ])('%s', (_case, headers) => {
      const req = request(headers);
      adoptJsonBody(req, BYTES);
      expect(req.body).toBeUndefined();
    });
  });

  it('leaves a body that something else already set, whatever the bytes', () => {
    const req = request({ 'content-type': 'application/json' }, { set: 'elsewhere' });
    adoptJsonBody(req, '{"broken"');
    expect(req.body).toEqual({ set: 'elsewhere' });
    const empty = request({ 'content-type': 'application/json' }, null);
    adoptJsonBody(empty, BYTES);
    expect(empty.body).toBeNull();
  });

  // An empty body is what a bodiless request carries (Basic alone on a GET read from the stream):
  // there is nothing to parse, and nothing to refuse.
  it.each<[string, string | Uint8Array]>([
    ['an empty string', ''],
    ['an empty buffer', Buffer.alloc(0)],
    ['an empty view into a larger buffer', new Uint8Array(BYTES.buffer, BYTES.byteOffset + 3, 0)],
  ])('leaves req.body unset for %s, under a JSON content type', (_case, bytes) => {
    const req = request({ 'content-type': 'application/json' });
    expect(() => adoptJsonBody(req, bytes)).not.toThrow();
    expect(req.body).toBeUndefined();
    expect('body' in req).toBe(true);
  });

  it.each<[string, string | Uint8Array]>([
    ['a truncated body', '{"call_sid":'],
    ['a body of one space', ' '],
    ['bytes that are not JSON', Buffer.from('call_sid=abc')],
  ])('answers 400 for %s under a JSON content type, leaving req.body unset', (_case, bytes) => {
    const req = request({ 'content-type': 'application/json; charset=utf-8' });
    let error: unknown;
    try {
      adoptJsonBody(req, bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadRequestException);
    expect((error as BadRequestException).getResponse()).toEqual({
      statusCode: 400,
      message: 'The body is not valid JSON',
      error: 'Bad Request',
    });
    // The decision observer reports it as the module's own refusal.
    expect((error as Record<symbol, unknown>)[DECISION_REASON]).toBe('body_unreadable');
    expect(req.body).toBeUndefined();
  });
});

describe('peekJsonBody', () => {
  it('gives the parsed JSON of a body read from the stream, without adopting it', () => {
    const req = request({ 'content-type': 'application/json; charset=utf-8' });
    expect(peekJsonBody(req, BYTES)).toEqual(PAYLOAD);
    expect(peekJsonBody(req, TEXT)).toEqual(PAYLOAD);
    expect(peekJsonBody(request({ 'content-type': 'application/vnd.jambonz+json' }), BYTES)).toEqual(PAYLOAD);
    expect(req.body).toBeUndefined();
  });

  it("gives req.body itself when the app's parser filled it, whatever the bytes", () => {
    const parsed = { account_sid: 'from-the-parser' };
    expect(peekJsonBody(request({ 'content-type': 'application/json' }, parsed), BYTES)).toBe(parsed);
    expect(peekJsonBody(request({ 'content-type': 'text/plain' }, parsed), '{"broken"')).toBe(parsed);
    expect(peekJsonBody(request({ 'content-type': 'application/json' }, null), BYTES)).toBeNull();
  });

  it.each<[string, WebhookRequest['headers'], string | Uint8Array]>([
    ['a content type that is not JSON', { 'content-type': 'text/plain' }, BYTES],
    ['no content type', {}, BYTES],
    ['bytes that are not JSON', { 'content-type': 'application/json' }, Buffer.from('call_sid=abc')],
    ['a truncated body', { 'content-type': 'application/json' }, '{"call_sid":'],
    ['an empty body', { 'content-type': 'application/json' }, ''],
  ])('gives undefined, and refuses nothing, for %s', (_case, headers, bytes) => {
    const req = request(headers);
    expect(peekJsonBody(req, bytes)).toBeUndefined();
    expect(req.body).toBeUndefined();
  });
});

describe('isJambonzJson', () => {
  // jambonz signs and sends application/json in UTF-8, and nothing else.
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset=utf-8',
    'application/json ; charset = utf-8 ',
    'application/json; charset="utf-8"',
    'APPLICATION/JSON; CHARSET=UTF-8',
    'application/json  ',
    // Quotes are not checked for balance: the charset is UTF-8 all the same.
    'application/json; charset="utf-8',
    'application/json; charset=utf-8"',
  ])('accepts %p', (type) => {
    expect(isJambonzJson(request({ 'content-type': type }))).toBe(true);
  });

  // Any other type or charset would make the app's parser hand the handler something other than the signed bytes.
  it.each<[string, string | string[] | undefined]>([
    ['no content type', undefined],
    ['an empty content type', ''],
    ['another charset', 'application/json; charset=utf-7'],
    ['Latin-1', 'application/json; charset=iso-8859-1'],
    ['UTF-16', 'application/json; charset=utf-16'],
    ['utf8 without the dash', 'application/json; charset=utf8'],
    ['a parameter other than charset', 'application/json; boundary=x'],
    ['a second parameter', 'application/json; charset=utf-8; q=1'],
    ['an empty parameter', 'application/json;'],
    ['a structured JSON type', 'application/vnd.jambonz+json'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['text', 'text/plain'],
    ['a space before the type', ' application/json'],
    ['application/jsonp', 'application/jsonp'],
    ['a header sent twice, the first not JSON', ['text/plain', 'application/json']],
  ])('refuses %s', (_case, type) => {
    expect(isJambonzJson(request(type === undefined ? {} : { 'content-type': type }))).toBe(false);
  });

  it('reads the first content type of a header sent twice', () => {
    expect(isJambonzJson(request({ 'content-type': ['application/json', 'text/plain'] }))).toBe(true);
  });
});
