import type { WebhookRequest } from './webhook-request.interface.js';
import { headerValue, requestLine } from './webhook-request.util.js';

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
