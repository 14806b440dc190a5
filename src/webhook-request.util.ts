import { logSafe } from './log-safe.util.js';
import type { WebhookRequest } from './webhook-request.interface.js';

/** A request header as one string: the first line when the header came several times. */
export function headerValue(request: Pick<WebhookRequest, 'headers'>, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * True when the request announces a body (RFC 9112 section 6.3: a transfer coding, or a
 * `Content-Length` other than 0). A GET or HEAD that does is not what jambonz sends.
 */
export function announcesBody(request: Pick<WebhookRequest, 'headers'>): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * `METHOD /path` of a request for a log line: the query string is left out (it may hold tokens)
 * and both parts are neutralised ({@link logSafe}), since the sender chose them.
 */
export function requestLine(request: Pick<WebhookRequest, 'method' | 'url' | 'originalUrl'>): string {
  const url = request.originalUrl ?? request.url ?? '';
  const query = url.indexOf('?');
  return logSafe(`${request.method ?? ''} ${query === -1 ? url : url.slice(0, query)}`);
}

/**
 * A URL path from its parts, as Nest joins a controller's and a route's and as Nest's `WsAdapter`
 * compares a gateway's: one leading slash, no trailing or repeated ones (`('/a/', 'b//c')` gives
 * `/a/b/c`, nothing gives `/`).
 */
export function urlPath(...parts: ReadonlyArray<string | undefined>): string {
  return `/${parts
    .flatMap((part) => (part ?? '').split('/'))
    .filter(Boolean)
    .join('/')}`;
}
