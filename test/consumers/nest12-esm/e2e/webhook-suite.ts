import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { INestApplication } from '@nestjs/common';
import { signWebhook, TEST_WEBHOOK_SECRET } from 'nestjs-jambonz-auth/testing';
import { AppModule } from '../src/app.module.js';
import { createApp, listen, type Platform } from '../src/bootstrap.js';
import { FORGED_SECRET, payload, post, UNAUTHORIZED, VERBS } from './support.js';

/** The e2e suite of the app, on one platform: a real server on a loopback port, real HTTP. */
export function webhookSuite(platform: Platform): void {
  describe(`nestjs-jambonz-auth in a Nest 12 ESM app on ${platform}`, () => {
    let app: INestApplication;
    let url: string;

    before(async () => {
      process.env.JAMBONZ_WEBHOOK_SECRET = TEST_WEBHOOK_SECRET;
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
      const { body, headers } = signWebhook(payload);
      const response = await post(`${url}/jambonz/call`, body, headers);
      assert.equal(response.status, 200);
      assert.deepEqual(response.json, VERBS);
    });

    it('keeps a route status of 204 and gives the handler what authenticated the request', async () => {
      const status = signWebhook({ call_sid: 'x', call_status: 'completed' });
      assert.equal((await post(`${url}/jambonz/status`, status.body, status.headers)).status, 204);
      const { body, headers } = signWebhook(payload);
      const response = await post(`${url}/jambonz/whoami`, body, headers);
      assert.equal(response.status, 200);
      assert.deepEqual(response.json, { verifiedBy: 'signature', accountSid: payload.account_sid, bodySource: 'raw-body' });
    });

    it('answers 401 to a call hook signed with another secret', async () => {
      const { body, headers } = signWebhook(payload, { secret: FORGED_SECRET });
      const response = await post(`${url}/jambonz/call`, body, headers);
      assert.equal(response.status, 401);
      assert.deepEqual(response.json, UNAUTHORIZED);
    });

    it('answers 401 to a signed body that was altered, unsigned or stale', async () => {
      const signed = signWebhook(payload);
      const altered = signed.body.replace('+15555550199', '+15555550100');
      assert.equal((await post(`${url}/jambonz/call`, altered, signed.headers)).status, 401);
      assert.equal((await post(`${url}/jambonz/call`, signed.body, { 'content-type': 'application/json' })).status, 401);
      const stale = signWebhook(payload, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
      assert.equal((await post(`${url}/jambonz/call`, stale.body, stale.headers)).status, 401);
    });
  });
}
