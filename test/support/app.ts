import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { CapturedLogs } from './captured-logs.js';

export const ADAPTERS = ['express', 'fastify'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

/**
 * How the app hands the body to the module:
 * - `raw-body`: `{ rawBody: true }`, the recommended set-up;
 * - `parsed`: Nest's body parser without rawBody (the module falls back to re-serialising);
 * - `stream`: `{ bodyParser: false }` (on Express, the module reads the stream itself).
 */
export const BODY_SETUPS = ['raw-body', 'parsed', 'stream'] as const;
export type BodySetup = (typeof BODY_SETUPS)[number];

export interface RunningApp {
  readonly app: INestApplication;
  readonly url: string;
  readonly logs: CapturedLogs;
  close(): Promise<void>;
}

/** Builds the Nest application a test runs: a root module importing `imports` with `controllers`. */
export async function createApp(
  adapter: AdapterName,
  body: BodySetup,
  imports: Array<DynamicModule | Type>,
  controllers: Type[],
): Promise<{ app: INestApplication; logs: CapturedLogs }> {
  @Module({ imports, controllers })
  class TestAppModule {}
  const logs = new CapturedLogs();
  const options = {
    logger: logs,
    abortOnError: false,
    ...(body === 'raw-body' ? { rawBody: true } : body === 'stream' ? { bodyParser: false } : {}),
  };
  const app =
    adapter === 'express'
      ? await NestFactory.create(TestAppModule, options)
      : await NestFactory.create(TestAppModule, new FastifyAdapter(), options);
  return { app, logs };
}

/** Starts the application on a free loopback port, for real HTTP requests. */
export async function startApp(
  adapter: AdapterName,
  body: BodySetup,
  imports: Array<DynamicModule | Type>,
  controllers: Type[],
  configure?: (app: INestApplication) => void,
): Promise<RunningApp> {
  const { app, logs } = await createApp(adapter, body, imports, controllers);
  configure?.(app);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url, logs, close: () => app.close() };
}
