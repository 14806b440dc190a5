import { ForbiddenException, Injectable, Module, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { generateSignatureHeader, isJambonzWebhook, JambonzAuthModule, JambonzGlobalGuard } from '../src/index.js';
import { ADAPTERS, startApp, type RunningApp } from './support/app.js';
import { WebhookController } from './support/controllers.js';
import { fixture } from './support/fixtures.js';
import { send } from './support/http.js';

const SECRET = 'wh_secret_e2eGlobalGuard00001';
const { body } = fixture('call-hook-inbound');
const signed = (secret = SECRET) => ({
  'content-type': 'application/json',
  'jambonz-signature': generateSignatureHeader(body, secret),
});

/** An app's own global guard (a JWT check, say) that refuses everything but jambonz's routes. */
@Injectable()
class AppJwtGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    if (isJambonzWebhook(this.reflector, context)) return true;
    throw new ForbiddenException('no JWT');
  }
}

@Module({ providers: [{ provide: APP_GUARD, useClass: JambonzGlobalGuard }] })
class JambonzAppGuardModule {}

@Module({ providers: [{ provide: APP_GUARD, useClass: AppJwtGuard }] })
class JwtAppGuardModule {}

describe.each(ADAPTERS)('global guards on %s', (adapter) => {
  describe('JambonzGlobalGuard as APP_GUARD', () => {
    let app: RunningApp;
    // Counts authentications: the resolver runs once per signature check (no cache by default).
    let resolved = 0;
    beforeAll(async () => {
      const secretResolver = () => (resolved++, SECRET);
      app = await startApp(
        adapter,
        'raw-body',
        [JambonzAuthModule.forRoot({ secretResolver, isGlobal: true }), JambonzAppGuardModule],
        [WebhookController],
      );
    });
    afterAll(() => app.close());

    it('authenticates the marked routes once, though the route binds the guard too, and leaves the others alone', async () => {
      resolved = 0;
      const genuine = await send(`${app.url}/call`, { headers: signed(), body });
      expect([genuine.status, resolved]).toEqual([200, 1]);
      const forged = await send(`${app.url}/call`, { headers: signed('wh_secret_forgedForged000000'), body });
      const other = await send(`${app.url}/unprotected`, { headers: { 'content-type': 'application/json' }, body });
      expect([forged.status, other.status, resolved]).toEqual([401, 201, 2]);
    });
  });

  describe("an app's own global guard using isJambonzWebhook", () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(
        adapter,
        'raw-body',
        [JambonzAuthModule.forRoot({ secret: SECRET }), JwtAppGuardModule],
        [WebhookController],
      );
    });
    afterAll(() => app.close());

    it("lets jambonz's routes through to the jambonz guard and refuses the rest", async () => {
      const genuine = await send(`${app.url}/call`, { headers: signed(), body });
      const forged = await send(`${app.url}/call`, { headers: signed('wh_secret_forgedForged000000'), body });
      const other = await send(`${app.url}/unprotected`, { headers: { 'content-type': 'application/json' }, body });
      expect([genuine.status, forged.status, other.status]).toEqual([200, 401, 403]);
    });
  });
});
