/*
 * The dual-package hazard: an ESM app whose code reaches the CommonJS build too (a CommonJS
 * library it uses, or `createRequire`), so that both copies of nestjs-jambonz-auth load in one
 * process. Their classes differ, but Nest must still wire them together: the DI tokens and the
 * metadata keys are strings, and what they remember per request (the auth context, the Fastify
 * copy of a body) both find under `Symbol.for` keys.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { Body, Controller, HttpCode, Module, Post, UseGuards, type INestApplication } from '@nestjs/common';
import * as esm from 'nestjs-jambonz-auth';
import { signWebhook, TEST_WEBHOOK_SECRET } from 'nestjs-jambonz-auth/testing';
import { createApp, listen, type Platform } from '../src/bootstrap.js';
import { FORGED_SECRET, payload, post, UNAUTHORIZED, VERBS } from './support.js';

const require = createRequire(import.meta.url);
const cjs = require('nestjs-jambonz-auth') as typeof esm;
const cjsTesting = require('nestjs-jambonz-auth/testing') as typeof import('nestjs-jambonz-auth/testing');

/** Decorated with the CommonJS build, served by the module of the ESM build. */
@Controller('cjs-on-esm')
@cjs.JambonzWebhook()
class CjsDecoratedController {
  @Post('call')
  onCall(@Body() call: { customerData: { contactName: string } }) {
    return [{ verb: 'say', text: `Hola ${call.customerData.contactName}` }, { verb: 'hangup' }];
  }

  // The ESM param decorator reads what the CommonJS guard stored (under a key both share).
  @Post('whoami')
  whoami(@esm.JambonzAuth() auth: esm.JambonzAuthContext | undefined) {
    return { verifiedBy: auth?.verifiedBy, accountSid: auth?.accountSid };
  }
}

/** The CommonJS guard bound directly, without the decorator: module defaults apply. */
@Controller('cjs-guard')
class CjsGuardController {
  @Post('call')
  @HttpCode(200)
  @UseGuards(cjs.JambonzAuthGuard)
  onCall() {
    return { ok: true };
  }
}

/** The other way round: decorated with the ESM build, served by the module of the CommonJS build. */
@Controller('esm-on-cjs')
@esm.JambonzWebhook()
class EsmDecoratedController {
  @Post('call')
  onCall(@Body() call: { customerData: { contactName: string } }) {
    return [{ verb: 'say', text: `Hola ${call.customerData.contactName}` }, { verb: 'hangup' }];
  }
}

@Module({
  imports: [esm.JambonzAuthModule.forRoot({ secret: TEST_WEBHOOK_SECRET })],
  controllers: [CjsDecoratedController, CjsGuardController],
})
class EsmModuleApp {}

@Module({
  imports: [cjs.JambonzAuthModule.forRoot({ secret: TEST_WEBHOOK_SECRET })],
  controllers: [EsmDecoratedController],
})
class CjsModuleApp {}

describe('both builds of nestjs-jambonz-auth in one process', () => {
  it('are really two copies, from dist/esm and dist/cjs', () => {
    assert.match(import.meta.resolve('nestjs-jambonz-auth'), /\/node_modules\/nestjs-jambonz-auth\/dist\/esm\/index\.js$/);
    assert.match(require.resolve('nestjs-jambonz-auth'), /\/node_modules\/nestjs-jambonz-auth\/dist\/cjs\/index\.js$/);
    assert.match(require.resolve('nestjs-jambonz-auth/testing'), /\/dist\/cjs\/testing\/index\.js$/);
    assert.notEqual(cjs.JambonzAuthModule, esm.JambonzAuthModule);
    assert.notEqual(cjs.JambonzAuthGuard, esm.JambonzAuthGuard);
  });

  it('agree on every DI token and metadata key', () => {
    assert.equal(cjs.JAMBONZ_AUTH_MODULE_OPTIONS, esm.JAMBONZ_AUTH_MODULE_OPTIONS);
    assert.equal(cjs.JAMBONZ_AUTH_CONFIG, esm.JAMBONZ_AUTH_CONFIG);
    assert.equal(cjs.JAMBONZ_WEBHOOK_OPTIONS, esm.JAMBONZ_WEBHOOK_OPTIONS);
    assert.equal(cjs.JAMBONZ_ROUTE_POLICIES, esm.JAMBONZ_ROUTE_POLICIES);
    assert.equal(cjsTesting.TEST_WEBHOOK_SECRET, TEST_WEBHOOK_SECRET);
  });

  it('sign the same way', () => {
    const timestamp = 1715000000;
    assert.deepEqual(cjsTesting.signWebhook(payload, { timestamp }), signWebhook(payload, { timestamp }));
  });

  for (const platform of ['express', 'fastify'] as const satisfies readonly Platform[]) {
    describe(`on ${platform}`, () => {
      const apps: INestApplication[] = [];
      let esmModuleUrl: string;
      let cjsModuleUrl: string;

      before(async () => {
        const esmModuleApp = await createApp(EsmModuleApp, platform);
        apps.push(esmModuleApp);
        esmModuleUrl = await listen(esmModuleApp);
        const cjsModuleApp = await createApp(CjsModuleApp, platform);
        apps.push(cjsModuleApp);
        cjsModuleUrl = await listen(cjsModuleApp);
      });

      after(async () => {
        await Promise.all(apps.map((app) => app.close()));
      });

      it('ESM module + CommonJS @JambonzWebhook(): signed 200, forged 401', async () => {
        const signed = signWebhook(payload);
        const ok = await post(`${esmModuleUrl}/cjs-on-esm/call`, signed.body, signed.headers);
        assert.equal(ok.status, 200);
        assert.deepEqual(ok.json, VERBS);
        const forged = signWebhook(payload, { secret: FORGED_SECRET });
        const refused = await post(`${esmModuleUrl}/cjs-on-esm/call`, forged.body, forged.headers);
        assert.equal(refused.status, 401);
        assert.deepEqual(refused.json, UNAUTHORIZED);
      });

      it('CommonJS guard stores the auth context the ESM @JambonzAuth() reads', async () => {
        const signed = signWebhook(payload);
        const response = await post(`${esmModuleUrl}/cjs-on-esm/whoami`, signed.body, signed.headers);
        assert.equal(response.status, 200);
        assert.deepEqual(response.json, { verifiedBy: 'signature', accountSid: payload.account_sid });
      });

      it('ESM module + CommonJS JambonzAuthGuard via @UseGuards(): signed 200, forged 401', async () => {
        const signed = signWebhook(payload);
        const ok = await post(`${esmModuleUrl}/cjs-guard/call`, signed.body, signed.headers);
        assert.equal(ok.status, 200);
        assert.deepEqual(ok.json, { ok: true });
        const forged = signWebhook(payload, { secret: FORGED_SECRET });
        assert.equal((await post(`${esmModuleUrl}/cjs-guard/call`, forged.body, forged.headers)).status, 401);
      });

      it('CommonJS module + ESM @JambonzWebhook(): signed 200, forged 401', async () => {
        const signed = signWebhook(payload);
        const ok = await post(`${cjsModuleUrl}/esm-on-cjs/call`, signed.body, signed.headers);
        assert.equal(ok.status, 200);
        assert.deepEqual(ok.json, VERBS);
        const forged = cjsTesting.signWebhook(payload, { secret: FORGED_SECRET });
        assert.equal((await post(`${cjsModuleUrl}/esm-on-cjs/call`, forged.body, forged.headers)).status, 401);
      });
    });
  }
});
