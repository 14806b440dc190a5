import 'reflect-metadata';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

export type Platform = 'express' | 'fastify';

/** Creates the app on Express or Fastify with `rawBody: true`, as the README recommends. */
export async function createApp(module: Type, platform: Platform): Promise<INestApplication> {
  const options = { rawBody: true, abortOnError: false, logger: ['error' as const] };
  return platform === 'fastify' ? NestFactory.create(module, new FastifyAdapter(), options) : NestFactory.create(module, options);
}

/** Starts the app on a free loopback port and returns its URL. */
export async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}
