import type { WebhookRequest } from './webhook-request.interface.js';
import { announcesBody, headerValue, requestLine, urlPath } from './webhook-request.util.js';

const request = (parts: Partial<WebhookRequest>): WebhookRequest => ({ headers: {}, ...parts });

describe('headerValue', () => {
  it('gives a header as Node delivers it, or the first line of one sent several times', () => {
    const headers = { authorization: 'Basic abc', 'x-twice': ['first', 'second'] };
    expect(headerValue(request({ headers }), 'authorization')).toBe('Basic abc');
    expect(headerValue(request({ headers }), 'x-twice')).toBe('first');
    expect(headerValue(request({ headers }), 'x-missing')).toBeUndefined();
  });
});

describe('requestLine', () => {
  it.each<[string, Partial<WebhookRequest>, string]>([
    ['the method and the path', { method: 'POST', url: '/jambonz/call' }, 'POST /jambonz/call'],
    [
      'the URL without its query string, which may hold tokens',
      { method: 'POST', url: '/jambonz/call?token=abc&x=1' },
      'POST /jambonz/call',
    ],
    ['an empty query string', { method: 'GET', url: '/jambonz/call?' }, 'GET /jambonz/call'],
    ['a URL that is only a query string', { method: 'GET', url: '?token=abc' }, 'GET '],
    [
      "Express's original URL, before routers rewrote url",
      { method: 'POST', originalUrl: '/api/jambonz/call?k=v', url: '/call' },
      'POST /api/jambonz/call',
    ],
    ['no URL', { method: 'POST' }, 'POST '],
    ['no method', { url: '/jambonz/call' }, ' /jambonz/call'],
  ])('%s', (_case, parts, line) => {
    expect(requestLine(request(parts))).toBe(line);
  });

  it('neutralises the method and the path, which the sender chose', () => {
    expect(requestLine(request({ method: 'PO\u001bST', url: '/call\r\nwarn forged?x=\n' }))).toBe(
      'PO\\u001bST /call\\u000d\\u000awarn forged',
    );
  });

  it('cuts a long path', () => {
    expect(requestLine(request({ method: 'POST', url: `/${'a'.repeat(300)}` }))).toBe(`POST /${'a'.repeat(194)}...`);
  });
});

describe('announcesBody', () => {
  // RFC 9112 section 6.3: a transfer coding, or a Content-Length other than 0, announces a body.
  it.each<[string, WebhookRequest['headers'], boolean]>([
    ['no framing header', {}, false],
    ['Content-Length: 0', { 'content-length': '0' }, false],
    ['Content-Length: 1', { 'content-length': '1' }, true],
    ['a large Content-Length', { 'content-length': '1048577' }, true],
    ['Content-Length: 00, not spelled 0', { 'content-length': '00' }, true],
    ['Transfer-Encoding: chunked', { 'transfer-encoding': 'chunked' }, true],
    ['an empty Transfer-Encoding', { 'transfer-encoding': '' }, true],
    ['Transfer-Encoding with Content-Length: 0', { 'transfer-encoding': 'chunked', 'content-length': '0' }, true],
    ['other headers only', { 'content-type': 'application/json', authorization: 'Basic abc' }, false],
  ])('%s: %p', (_case, headers, expected) => {
    expect(announcesBody(request({ method: 'GET', headers }))).toBe(expected);
  });
});

describe('urlPath', () => {
  // As Nest joins a controller's path and a route's, and as its WsAdapter compares a gateway's.
  it.each<[string, ReadonlyArray<string | undefined>, string]>([
    ['nothing', [], '/'],
    ['undefined', [undefined], '/'],
    ['an empty path', [''], '/'],
    ['a lone slash', ['/'], '/'],
    ['slashes only', ['///', '//'], '/'],
    ['a path without its leading slash', ['ws'], '/ws'],
    ['a trailing slash', ['/ws/'], '/ws'],
    ['repeated slashes inside', ['/a//b///c'], '/a/b/c'],
    ['a controller and a route', ['calls', 'hook'], '/calls/hook'],
    ['slashes on both sides of each part', ['/a/', '/b//c/'], '/a/b/c'],
    ['an empty or missing part among others', ['', 'a', undefined, 'b'], '/a/b'],
    ['a controller with no route path', ['/v1/jambonz//', ''], '/v1/jambonz'],
    ['dots, kept as they are', ['/a/./b/../c'], '/a/./b/../c'],
    ['a parameter', ['/calls/:id'], '/calls/:id'],
  ])('%s', (_case, parts, path) => {
    expect(urlPath(...parts)).toBe(path);
  });
});
