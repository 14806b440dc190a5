import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { Module, type INestApplication } from '@nestjs/common';
import { MessageBody, SubscribeMessage } from '@nestjs/websockets';
import * as esmTesting from 'nestjs-jambonz-auth/testing';
import * as esm from 'nestjs-jambonz-auth/websocket';
import { CallGatewayModule } from '../src/call-gateway.module.js';
import { createApp, listen, type Platform } from '../src/bootstrap.js';

const { connectLikeJambonz, JambonzUpgradeRefusedError, TEST_CREDENTIALS } = esmTesting;
const require = createRequire(import.meta.url);
const cjs = require('nestjs-jambonz-auth/websocket') as typeof esm;
const cjsMain = require('nestjs-jambonz-auth') as typeof import('nestjs-jambonz-auth');

/** Declared with the CommonJS build of /websocket, served by the ESM build's adapter. */
@cjs.JambonzGateway({ path: '/cjs', kind: 'api' })
class CjsDeclaredGateway {
  @SubscribeMessage('session:new')
  onCall(@MessageBody('call_sid') callSid: string, @esm.JambonzConnection() call: esm.JambonzWsConnection) {
    return [{ verb: 'say', text: `${callSid} by ${call.auth.username}` }];
  }
}

@Module({
  imports: [cjsMain.JambonzAuthModule.forRoot({ basicAuth: TEST_CREDENTIALS })],
  providers: [CjsDeclaredGateway],
})
class DualPackageModule {}

/** Starts `module` on `platform` with the ESM build's JambonzWsAdapter; returns the app and its ws:// base URL. */
async function start(
  module: Parameters<typeof createApp>[0],
  platform: Platform,
): Promise<{ app: INestApplication; base: string }> {
  const app = await createApp(module, platform);
  app.useWebSocketAdapter(new esm.JambonzWsAdapter(app));
  return { app, base: (await listen(app)).replace(/^http/, 'ws') };
}

for (const platform of ['express', 'fastify'] as const satisfies readonly Platform[]) {
  describe(`nestjs-jambonz-auth/websocket in a Nest 12 ESM app on ${platform}`, () => {
    const apps: INestApplication[] = [];
    let base: string;
    let dualBase: string;

    before(async () => {
      process.env.JAMBONZ_WEBHOOK_USERNAME = TEST_CREDENTIALS.username;
      process.env.JAMBONZ_WEBHOOK_PASSWORD = TEST_CREDENTIALS.password;
      const main = await start(CallGatewayModule, platform);
      const dual = await start(DualPackageModule, platform);
      apps.push(main.app, dual.app);
      base = main.base;
      dualBase = dual.base;
    });

    after(async () => {
      await Promise.all(apps.map((app) => app.close()));
    });

    it('loads the ESM build of /websocket, next to @nestjs/websockets 12', () => {
      assert.match(import.meta.resolve('nestjs-jambonz-auth/websocket'), /\/dist\/esm\/websocket\/index\.js$/);
      // Nest 12's exports map hides package.json: read it beside the resolved entry point.
      const entry = new URL(import.meta.resolve('@nestjs/websockets'));
      const { version } = JSON.parse(readFileSync(new URL('package.json', entry), 'utf8')) as { version: string };
      assert.match(version, /^12\./);
    });

    it('accepts a connection made as jambonz makes it, and acks session:new with the verbs', async () => {
      const call = await connectLikeJambonz(`${base}/ws`);
      assert.equal(call.protocol, 'ws.jambonz.org');
      const ack = await call.sessionNew();
      assert.deepEqual(ack.data, [{ verb: 'say', text: 'Hola +15555550123' }, { verb: 'hangup' }]);
      await call.close();
    });

    it('refuses wrong credentials with 401 and the Basic challenge, before the upgrade', async () => {
      const refused = await connectLikeJambonz(`${base}/ws`, { credentials: { ...TEST_CREDENTIALS, password: 'wrong' } }).then(
        () => assert.fail('accepted'),
        (error: unknown) => error,
      );
      assert.ok(refused instanceof JambonzUpgradeRefusedError);
      assert.deepEqual(
        [refused.status, refused.headers['www-authenticate'], refused.body],
        [401, 'Basic realm="jambonz", charset="UTF-8"', 'Unauthorized'],
      );
    });

    it("sends nothing when a handler throws (not Nest 12's { event: 'exception' } frame), and honours @Ack()", async () => {
      const call = await connectLikeJambonz(`${base}/ws`, { ackTimeout: 300 });
      await call.sessionNew();
      await assert.rejects(call.request('verb:hook', {}, { hook: '/throw' }), /no ack to verb:hook within 300 ms/);
      await assert.rejects(call.nextFrame(100), /no frame within 100 ms/);
      const ack = await call.request('verb:hook', { digits: '42' }, { hook: '/gather' });
      assert.deepEqual(ack.data, [{ verb: 'say', text: 'You pressed 42' }]);
      await call.close();
    });

    it('serves a gateway declared with the CommonJS build, found by registered symbols', async () => {
      const call = await connectLikeJambonz(`${dualBase}/cjs`);
      const ack = await call.sessionNew();
      assert.deepEqual(ack.data, [{ verb: 'say', text: `${esmTesting.JAMBONZ_SESSION_NEW_SAMPLE.call_sid} by jambonz` }]);
      await call.close();
    });
  });
}
