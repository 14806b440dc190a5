import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { JambonzWsAdapter } from 'nestjs-jambonz-auth/websocket';
import { AppModule } from './app.module.js';

/**
 * Creates the sample app the way `main.ts` runs it, and its tests boot it:
 * - `rawBody: true` keeps the exact request bytes, which the signature is computed over;
 * - the JSON parser takes bodies up to 2 MB (a full SIP INVITE, speech or LLM events go past
 *   Express's 100 kB default) and the body `null`, which jambonz sends for a hook without
 *   parameters. `useBodyParser` keeps the app's `rawBody` setting;
 * - `JambonzWsAdapter` serves the gateways: it authenticates every WebSocket upgrade to `/ws`
 *   and `/audio` before the handshake completes.
 *
 * `abortOnError: false`, so that a configuration error rejects (and main.ts exits with code 1
 * after Nest has logged it) rather than calling process.abort().
 */
export async function createSampleApp(logger?: LoggerService): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    rawBody: true,
    abortOnError: false,
    ...(logger ? { logger } : {}),
  });
  app.useBodyParser('json', { limit: '2mb', strict: false });
  app.useWebSocketAdapter(new JambonzWsAdapter(app));
  return app;
}
