import type { IncomingMessage } from 'node:http';

/**
 * The parts of an Express `Request` or a Fastify `FastifyRequest` this module reads, without
 * depending on either framework's types.
 */
export interface WebhookRequest {
  method?: string;
  url?: string;
  /** Express: the URL before routers rewrote `url`. */
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  /** Set by Nest when the app was created with `{ rawBody: true }`, or by this module. */
  rawBody?: unknown;
  /** Fastify: the Node request underneath. */
  raw?: IncomingMessage;
}

/** A request header as one string: the first line when the header came several times. */
export function headerValue(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The request's path without its query string (which may hold tokens), for log lines. */
export function requestPath(request: WebhookRequest): string {
  const url = request.originalUrl ?? request.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
