import type { IncomingMessage } from 'node:http';

/**
 * The parts of an Express `Request` or a Fastify `FastifyRequest` this module reads, without
 * depending on either framework's types.
 */
export interface WebhookRequest {
  /** The HTTP method, upper case. */
  method?: string;
  /** The request target (path and query). */
  url?: string;
  /** Express: the URL before routers rewrote `url`. */
  originalUrl?: string;
  /** Request headers, names lower-cased as Node delivers them. */
  headers: Record<string, string | string[] | undefined>;
  /** What the app's body parser made of the body (parsed JSON), or what this module parsed. */
  body?: unknown;
  /** Set by Nest when the app was created with `{ rawBody: true }`, or by this module. */
  rawBody?: unknown;
  /** Fastify: the Node request underneath. */
  raw?: IncomingMessage;
}
