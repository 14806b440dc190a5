import { Controller, ForbiddenException, Get, Injectable, Module, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import {
  generateSignatureHeader,
  isJambonzWebhook,
  JambonzAuthGuard,
  JambonzAuthModule,
  JambonzGlobalGuard,
} from '../src/index.js';
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

@Controller('health')
class HealthController {
  @Get()
  check() {
    return { ok: true };
  }
}

@Module({ providers: [{ provide: APP_GUARD, useClass: JambonzAuthGuard }] })
class StrictAppGuardModule {}

describe.each(ADAPTERS)('JambonzAuthGuard itself as APP_GUARD on %s', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(
      adapter,
      'raw-body',
      [JambonzAuthModule.forRoot({ secret: SECRET, isGlobal: true }), StrictAppGuardModule],
      [WebhookController, HealthController],
    );
  });
  afterAll(() => app.close());

  it('authenticates every route, marked or not', async () => {
    const genuine = await send(`${app.url}/unprotected`, { headers: signed(), body });
    const forged = await send(`${app.url}/unprotected`, { headers: signed('wh_secret_forgedForged000000'), body });
    expect([genuine.status, forged.status]).toEqual([201, 401]);
  });

  it('refuses with 401, never 500, a GET route that no signature can reach, and says why once', async () => {
    const replies = [await send(`${app.url}/health`, { method: 'GET' }), await send(`${app.url}/health`, { method: 'GET' })];
    expect(replies.map((reply) => reply.status)).toEqual([401, 401]);
    const explained = app.logs.lines.filter((line) => line.includes('HealthController.check takes GET requests'));
    expect(explained).toHaveLength(1);
    expect(explained[0]).toContain('It binds JambonzAuthGuard without @JambonzWebhook(): every request is refused.');
  });
});
