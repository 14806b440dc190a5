import { headerValue, requestPath, type WebhookRequest } from './webhook-request.js';

const request = (parts: Partial<WebhookRequest>): WebhookRequest => ({ headers: {}, ...parts });

describe('headerValue', () => {
  it('gives a header as Node delivers it, or the first line of one sent several times', () => {
    const headers = { authorization: 'Basic abc', 'x-twice': ['first', 'second'] };
    expect(headerValue(request({ headers }), 'authorization')).toBe('Basic abc');
    expect(headerValue(request({ headers }), 'x-twice')).toBe('first');
    expect(headerValue(request({ headers }), 'x-missing')).toBeUndefined();
  });
});

describe('requestPath', () => {
  it.each<[string, Partial<WebhookRequest>, string]>([
    ['the URL without its query string, which may hold tokens', { url: '/jambonz/call?token=abc&x=1' }, '/jambonz/call'],
    ['a URL without a query string', { url: '/jambonz/call' }, '/jambonz/call'],
    ['an empty query string', { url: '/jambonz/call?' }, '/jambonz/call'],
    [
      "Express's original URL before routers rewrote url",
      { originalUrl: '/api/jambonz/call?k=v', url: '/call' },
      '/api/jambonz/call',
    ],
    ['nothing when there is no URL', {}, ''],
  ])('%s', (_case, parts, path) => {
    expect(requestPath(request(parts))).toBe(path);
  });
});
