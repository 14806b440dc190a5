import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { JambonzAuthModule, JambonzUnauthorizedException } from 'nestjs-jambonz-auth';
import { sendWebhook, signWebhook, TEST_CREDENTIALS, TEST_WEBHOOK_SECRET, testCredentials } from 'nestjs-jambonz-auth/testing';
import { AppModule } from '../src/app.module';

const payload = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'call-hook-outbound-rest.json'), 'utf8')) as {
  account_sid: string;
};
const FORGED_SECRET = 'wh_secret_forgedForgedForged0';
const UNAUTHORIZED = { statusCode: 401, message: 'Invalid or missing jambonz webhook authentication', error: 'Unauthorized' };

describe('nestjs-jambonz-auth in a Nest 11 CommonJS app (Jest, CommonJS runtime)', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    // The environment wins over .env: the app reads the test values through ConfigService.
    Object.assign(process.env, {
      JAMBONZ_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      JAMBONZ_WEBHOOK_USERNAME: TEST_CREDENTIALS.username,
      JAMBONZ_WEBHOOK_PASSWORD: TEST_CREDENTIALS.password,
      JAMBONZ_STATUS_HOOK_USERNAME: testCredentials('status').username,
      JAMBONZ_STATUS_HOOK_PASSWORD: testCredentials('status').password,
    });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ rawBody: true, logger: ['error'] });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('loads the CommonJS build of the packed package, next to Nest 11', () => {
    const cjsEntry = /[\\/]node_modules[\\/]nestjs-jambonz-auth[\\/]dist[\\/]cjs[\\/]index\.js$/;
    expect(require.resolve('nestjs-jambonz-auth')).toMatch(cjsEntry);
    expect(require.resolve('nestjs-jambonz-auth/testing')).toMatch(/[\\/]dist[\\/]cjs[\\/]testing[\\/]index\.js$/);
    expect(typeof JambonzAuthModule.forRoot).toBe('function');
    expect(new JambonzUnauthorizedException(['signature_mismatch']).getStatus()).toBe(401);
    expect((require('@nestjs/core/package.json') as { version: string }).version).toMatch(/^11\./);
    expect((require('@nestjs/common/package.json') as { version: string }).version).toMatch(/^11\./);
  });

  it('answers 200 with the verbs to a signed call hook', async () => {
    const { body, headers } = signWebhook(payload, { basicAuth: TEST_CREDENTIALS });
    const response = await request(url).post('/jambonz/call').set(headers).send(body);
    expect(response.status).toBe(200);
    expect(response.body).toEqual([{ verb: 'say', text: 'Hola María-José Núñez' }, { verb: 'hangup' }]);
  });

  it('sendWebhook() signs and sends through supertest', async () => {
    await sendWebhook(request(url).post('/jambonz/call'), payload, { basicAuth: TEST_CREDENTIALS }).expect(200);
    const status = { call_sid: 'x', call_status: 'completed' };
    await sendWebhook(request(url).post('/jambonz/status'), status, { basicAuth: testCredentials('status') }).expect(204);
  });

  it('gives the handler what authenticated the request', async () => {
    const response = await sendWebhook(request(url).post('/jambonz/whoami'), payload, { basicAuth: TEST_CREDENTIALS });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ verifiedBy: 'both', accountSid: payload.account_sid, bodySource: 'raw-body' });
  });

  it('answers 401 to a call hook signed with another secret', async () => {
    const { body, headers } = signWebhook(payload, { secret: FORGED_SECRET, basicAuth: TEST_CREDENTIALS });
    const response = await request(url).post('/jambonz/call').set(headers).send(body);
    expect(response.status).toBe(401);
    expect(response.body).toEqual(UNAUTHORIZED);
  });

  it('answers 401 to a signed body that was altered, unsigned or stale', async () => {
    const signed = signWebhook(payload, { basicAuth: TEST_CREDENTIALS });
    await request(url)
      .post('/jambonz/call')
      .set(signed.headers)
      .send(signed.body.replace('+15555550199', '+15555550100'))
      .expect(401);
    await request(url).post('/jambonz/call').set('content-type', 'application/json').send(signed.body).expect(401);
    const stale = signWebhook(payload, { timestamp: Math.floor(Date.now() / 1000) - 3600, basicAuth: TEST_CREDENTIALS });
    await request(url).post('/jambonz/call').set(stale.headers).send(stale.body).expect(401);
  });
});
