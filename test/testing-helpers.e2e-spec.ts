// Written the way a user tests their own controllers: their AppModule, supertest, and the
// helpers from nestjs-jambonz-auth/testing.
import { Body, Controller, Module, Post, type INestApplication } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { JAMBONZ_AUTH_MODULE_OPTIONS, JambonzAuthModule, JambonzWebhook } from 'nestjs-jambonz-auth';
import { sendWebhook, signWebhook, TEST_WEBHOOK_SECRET } from 'nestjs-jambonz-auth/testing';
import { fixture } from './support/fixtures.js';

@Controller()
@JambonzWebhook()
class CallController {
  @Post('call')
  onCall(@Body() call: { from: string }) {
    return [{ verb: 'say', text: `Hello ${call.from}` }];
  }
}

/** The user's application module, reading the real secret from the environment. */
@Module({
  imports: [
    JambonzAuthModule.forRootAsync({
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true })],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({ secret: config.getOrThrow<string>('JAMBONZ_WEBHOOK_SECRET') }),
    }),
  ],
  controllers: [CallController],
})
class AppModule {}

const payload = fixture('call-hook-inbound').payload;

describe.each(['express', 'fastify'] as const)('testing your own controllers on %s', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(JAMBONZ_AUTH_MODULE_OPTIONS)
      .useValue({ secret: TEST_WEBHOOK_SECRET })
      .compile();
    app =
      adapter === 'express'
        ? moduleRef.createNestApplication({ rawBody: true, logger: false })
        : moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { rawBody: true, logger: false });
    await app.init();
    if (adapter === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  it('a signed call hook gets 200 and the verbs', async () => {
    const reply = await sendWebhook(request(app.getHttpServer()).post('/call'), payload).expect(200);
    expect(reply.body).toEqual([{ verb: 'say', text: `Hello ${payload.from}` }]);
  });

  it('a forged one gets 401', async () => {
    await sendWebhook(request(app.getHttpServer()).post('/call'), payload, { secret: 'wh_secret_notTheTestOne0000' }).expect(401);
  });

  it('a stale one gets 401', async () => {
    const stale = Math.floor(Date.now() / 1000) - 301;
    await sendWebhook(request(app.getHttpServer()).post('/call'), payload, { timestamp: stale }).expect(401);
  });

  it('signWebhook gives the exact body and headers, for any HTTP client', async () => {
    const { body, headers } = signWebhook(payload, { basicAuth: { username: 'u', password: 'p:w' } });
    expect(body).toBe(JSON.stringify(payload));
    expect(headers.authorization).toBe(`Basic ${Buffer.from('u:p:w').toString('base64')}`);
    await request(app.getHttpServer()).post('/call').set(headers).send(body).expect(200);
  });
});
