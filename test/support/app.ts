import type { DynamicModule, INestApplication, LoggerService, Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

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

/** A LoggerService that keeps every line, for assertions and the secrecy scan. */
export class CapturedLogs implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown, ...rest: unknown[]): void {
    this.add('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.add('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.add('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.add('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.add('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.add('fatal', message, rest);
  }
  private add(level: string, message: unknown, rest: unknown[]): void {
    this.lines.push(
      `${level} ${[message, ...rest].map((part) => (part instanceof Error ? part.stack : String(part))).join(' ')}`,
    );
    allLogLines.push(this.lines[this.lines.length - 1]!);
  }
}

/** Every log line of every app of this test file, for the secrecy scan. */
export const allLogLines: string[] = [];

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
