// Written the way a user tests their own controllers: their AppModule (configured from the
// environment through ConfigService), supertest, and the helpers from nestjs-jambonz-auth/testing.
import { Body, Controller, HttpCode, Module, Post, type INestApplication } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { JambonzAuthModule, JambonzWebhook } from 'nestjs-jambonz-auth';
import { overrideJambonzAuth, sendWebhook, signWebhook, testCredentials, TEST_WEBHOOK_SECRET } from 'nestjs-jambonz-auth/testing';
import { fixture } from './support/fixtures.js';

@Controller()
@JambonzWebhook()
class CallController {
  @Post('call')
  onCall(@Body() call: { from: string }) {
    return [{ verb: 'say', text: `Hello ${call.from}` }];
  }

  @Post('call-status')
  @HttpCode(204)
  @JambonzWebhook({ credentials: 'status' })
  onStatus() {}
}

/**
 * The user's application module: the webhook secret, the call hook's credentials and the call
 * status hook's own credentials, all from the environment. None of these variables is set in
 * the test run: the testing override fills in test values.
 */
@Module({
  imports: [
    JambonzAuthModule.forRootAsync({
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true })],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        secret: config.get<string>('JAMBONZ_WEBHOOK_SECRET'),
        basicAuth: {
          username: config.get<string>('JAMBONZ_WEBHOOK_USERNAME')!,
          password: config.get<string>('JAMBONZ_WEBHOOK_PASSWORD')!,
        },
        namedCredentials: {
          status: {
            username: config.get<string>('JAMBONZ_STATUS_HOOK_USERNAME')!,
            password: config.get<string>('JAMBONZ_STATUS_HOOK_PASSWORD')!,
          },
        },
        tolerance: 120,
      }),
    }),
  ],
  controllers: [CallController],
})
class AppModule {}

const call = fixture('call-hook-inbound').payload;
const status = fixture('call-status-completed').payload;

describe.each(['express', 'fastify'] as const)('testing your own controllers on %s', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await overrideJambonzAuth(Test.createTestingModule({ imports: [AppModule] })).compile();
    app =
      adapter === 'express'
        ? moduleRef.createNestApplication({ rawBody: true, logger: false })
        : moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.init();
    // supertest sends to Fastify's server directly: Fastify must be ready first.
    if (adapter === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  it('a call hook with the signature and the call hook credentials gets 200 and the verbs', async () => {
    const reply = await sendWebhook(request(app.getHttpServer()).post('/call'), call, { basicAuth: testCredentials() }).expect(
      200,
    );
    expect(reply.body).toEqual([{ verb: 'say', text: `Hello ${call.from}` }]);
  });

  it("keeps the app's rules: the call hook still requires both the signature and Basic credentials", async () => {
    await sendWebhook(request(app.getHttpServer()).post('/call'), call).expect(401);
  });

  it("the status route takes its own credentials and refuses the call hook's", async () => {
    const route = () => request(app.getHttpServer()).post('/call-status');
    await sendWebhook(route(), status, { basicAuth: testCredentials('status') }).expect(204);
    await sendWebhook(route(), status, { basicAuth: testCredentials() }).expect(401);
    await sendWebhook(route(), status).expect(401);
  });

  it("keeps the app's tolerance (120 s), not the default 300", async () => {
    const stale = Math.floor(Date.now() / 1000) - 121;
    await sendWebhook(request(app.getHttpServer()).post('/call'), call, {
      basicAuth: testCredentials(),
      timestamp: stale,
    }).expect(401);
  });

  it('a forged one gets 401', async () => {
    const options = { basicAuth: testCredentials(), secret: 'wh_secret_notTheTestOne0000' };
    await sendWebhook(request(app.getHttpServer()).post('/call'), call, options).expect(401);
  });

  it('signWebhook gives the exact body and headers, for any HTTP client', async () => {
    const { body, headers } = signWebhook(call, { basicAuth: testCredentials() });
    expect(body).toBe(JSON.stringify(call));
    expect(headers['jambonz-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(TEST_WEBHOOK_SECRET).not.toBe('');
    await request(app.getHttpServer()).post('/call').set(headers).send(body).expect(200);
  });
});
