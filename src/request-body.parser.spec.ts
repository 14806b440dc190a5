import { BadRequestException } from '@nestjs/common';
import { adoptJsonBody } from './request-body.parser.js';
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

  it.each<[string, string | Uint8Array]>([
    ['a truncated body', '{"call_sid":'],
    ['an empty body', ''],
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
    expect(req.body).toBeUndefined();
  });
});
