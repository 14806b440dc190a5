import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { INestApplication } from '@nestjs/common';
import { signWebhook, TEST_CREDENTIALS, TEST_WEBHOOK_SECRET, testCredentials } from 'nestjs-jambonz-auth/testing';
import { AppModule } from '../src/app.module.js';
import { createApp, listen, type Platform } from '../src/bootstrap.js';
import { FORGED_SECRET, payload, post, UNAUTHORIZED, VERBS } from './support.js';

/** The e2e suite of the app, on one platform: a real server on a loopback port, real HTTP. */
export function webhookSuite(platform: Platform): void {
  describe(`nestjs-jambonz-auth in a Nest 12 ESM app on ${platform}`, () => {
    let app: INestApplication;
    let url: string;

    before(async () => {
      // The environment wins over .env: the app reads the test values through ConfigService.
      Object.assign(process.env, {
        JAMBONZ_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        JAMBONZ_WEBHOOK_USERNAME: TEST_CREDENTIALS.username,
        JAMBONZ_WEBHOOK_PASSWORD: TEST_CREDENTIALS.password,
        JAMBONZ_STATUS_HOOK_USERNAME: testCredentials('status').username,
        JAMBONZ_STATUS_HOOK_PASSWORD: testCredentials('status').password,
      });
      app = await createApp(AppModule, platform);
      url = await listen(app);
    });

    after(async () => {
      await app?.close();
    });

    it('loads the ESM build of the packed package, next to Nest 12', () => {
      assert.match(import.meta.resolve('nestjs-jambonz-auth'), /\/node_modules\/nestjs-jambonz-auth\/dist\/esm\/index\.js$/);
      assert.match(import.meta.resolve('nestjs-jambonz-auth/testing'), /\/dist\/esm\/testing\/index\.js$/);
      const require = createRequire(import.meta.url);
      assert.match((require('@nestjs/core/package.json') as { version: string }).version, /^12\./);
      assert.match((require('@nestjs/common/package.json') as { version: string }).version, /^12\./);
    });

    it('answers 200 with the verbs to a signed call hook', async () => {
      const { body, headers } = signWebhook(payload, { basicAuth: TEST_CREDENTIALS });
      const response = await post(`${url}/jambonz/call`, body, headers);
      assert.equal(response.status, 200);
      assert.deepEqual(response.json, VERBS);
    });

    it('keeps a route status of 204 and gives the handler what authenticated the request', async () => {
      const status = signWebhook({ call_sid: 'x', call_status: 'completed' }, { basicAuth: testCredentials('status') });
      assert.equal((await post(`${url}/jambonz/status`, status.body, status.headers)).status, 204);
      const { body, headers } = signWebhook(payload, { basicAuth: TEST_CREDENTIALS });
      const response = await post(`${url}/jambonz/whoami`, body, headers);
      assert.equal(response.status, 200);
      assert.deepEqual(response.json, { verifiedBy: 'both', accountSid: payload.account_sid, bodySource: 'raw-body' });
    });

    it('answers 401 to a call hook signed with another secret', async () => {
      const { body, headers } = signWebhook(payload, { secret: FORGED_SECRET, basicAuth: TEST_CREDENTIALS });
      const response = await post(`${url}/jambonz/call`, body, headers);
      assert.equal(response.status, 401);
      assert.deepEqual(response.json, UNAUTHORIZED);
    });

    it('answers 401 to a signed body that was altered, unsigned or stale', async () => {
      const signed = signWebhook(payload, { basicAuth: TEST_CREDENTIALS });
      const altered = signed.body.replace('+15555550199', '+15555550100');
      assert.equal((await post(`${url}/jambonz/call`, altered, signed.headers)).status, 401);
      assert.equal((await post(`${url}/jambonz/call`, signed.body, { 'content-type': 'application/json' })).status, 401);
      const stale = signWebhook(payload, { timestamp: Math.floor(Date.now() / 1000) - 3600, basicAuth: TEST_CREDENTIALS });
      assert.equal((await post(`${url}/jambonz/call`, stale.body, stale.headers)).status, 401);
    });
  });
}
