import { All, Body, Controller, Module, Options, Post, UseGuards } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  generateSignatureHeader,
  JambonzAuth,
  JambonzAuthGuard,
  JambonzAuthModule,
  JambonzGlobalGuard,
  JambonzWebhook,
  type JambonzAuthContext,
} from '../src/index.js';
import { ADAPTERS, startApp, type RunningApp } from './support/app.js';
import { basic, send } from './support/http.js';

// An unauthenticated OPTIONS reaches a handler only when that handler is declared for OPTIONS
// (jambonz's environment-variable discovery, `@Options()`); on any other route (`@All()`...) it
// is authenticated like any request, and a route that takes no OPTIONS never sees one.

const SECRET = 'wh_secret_e2eOptionsSuite0001';
const CREDENTIALS = { username: 'jambonz', password: 'options-pass' };
const AUTHORIZATION = basic(CREDENTIALS.username, CREDENTIALS.password);
const ENV_VARS = { GREETING: { type: 'string', description: 'what to say' } };

/** Every handler run, by name: an OPTIONS that must not reach a handler leaves no trace here. */
const runs: string[] = [];

@Controller('method')
class MethodDecoratedController {
  @Options('discovery')
  @JambonzWebhook()
  discovery() {
    runs.push('discovery');
    return ENV_VARS;
  }

  @All('any')
  @JambonzWebhook()
  any(@Body() body: unknown, @JambonzAuth() auth: JambonzAuthContext | undefined) {
    runs.push('any');
    return { body, auth };
  }

  @Post('post-only')
  @JambonzWebhook()
  postOnly() {
    runs.push('post-only');
    return [];
  }

  @Options('closed')
  @JambonzWebhook({ allowOptionsRequests: false })
  closed() {
    runs.push('closed');
    return ENV_VARS;
  }
}

@Controller('class')
@JambonzWebhook()
class ClassDecoratedController {
  @Options('discovery')
  discovery() {
    runs.push('class-discovery');
    return ENV_VARS;
  }

  @All('any')
  any() {
    runs.push('class-any');
    return [];
  }
}

/** The guard bound by `@UseGuards()` alone, without the decorator: the module's rules apply. */
@Controller('use-guards')
@UseGuards(JambonzAuthGuard)
class UseGuardsController {
  @Options('discovery')
  discovery() {
    runs.push('use-guards-discovery');
    return ENV_VARS;
  }

  @All('any')
  any() {
    runs.push('use-guards-any');
    return [];
  }
}

/** The same path declared by `@All()` first and `@Options()` second: `@All()` takes OPTIONS. */
@Controller('all-first')
class AllFirstController {
  @All('hook')
  @JambonzWebhook()
  any() {
    runs.push('all-first-any');
    return [];
  }

  @Options('hook')
  @JambonzWebhook()
  discovery() {
    runs.push('all-first-discovery');
    return ENV_VARS;
  }
}

@Module({ providers: [{ provide: APP_GUARD, useClass: JambonzGlobalGuard }] })
class GlobalGuardModule {}

const options = { secret: SECRET, basicAuth: CREDENTIALS };
const ran = async (action: () => Promise<unknown>) => {
  runs.length = 0;
  await action();
  return [...runs];
};

describe.each(ADAPTERS)('OPTIONS on %s', (adapter) => {
  describe.each([
    ['the guard bound by the decorator', false],
    ['the global guard as well', true],
  ])('with %s', (_name, globalGuard) => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(
        adapter,
        'raw-body',
        [JambonzAuthModule.forRoot({ ...options, isGlobal: true }), ...(globalGuard ? [GlobalGuardModule] : [])],
        // Fastify refuses two routes for OPTIONS on one path; Express gives it to the first declared.
        [
          MethodDecoratedController,
          ClassDecoratedController,
          UseGuardsController,
          ...(adapter === 'express' ? [AllFirstController] : []),
        ],
      );
    });
    afterAll(() => app.close());

    it.each([
      ['/method/discovery', 'discovery'],
      ['/class/discovery', 'class-discovery'],
      ['/use-guards/discovery', 'use-guards-discovery'],
    ])("passes unauthenticated to %s, declared with @Options(): jambonz's discovery", async (path, handler) => {
      let reply: Awaited<ReturnType<typeof send>> | undefined;
      expect(await ran(async () => (reply = await send(`${app.url}${path}`, { method: 'OPTIONS' })))).toEqual([handler]);
      expect(reply!.status).toBe(200);
      expect(reply!.json).toEqual(ENV_VARS);
    });

    it.each([
      ['/method/any', 'an @All() route'],
      ['/class/any', 'an @All() route under the class decorator'],
      ['/use-guards/any', 'an @All() route under @UseGuards(JambonzAuthGuard), without the decorator'],
      ...(adapter === 'express'
        ? [['/all-first/hook', 'an @All() route declared before an @Options() one on the same path']]
        : []),
    ])('refuses an unauthenticated OPTIONS to %s (%s) with 401, and runs no handler', async (path) => {
      const body = JSON.stringify({ call_sid: 'attacker' });
      let status = 0;
      const handlers = await ran(async () => {
        status = (await send(`${app.url}${path}`, { method: 'OPTIONS', headers: { 'content-type': 'application/json' }, body }))
          .status;
      });
      expect([status, handlers]).toEqual([401, []]);
      expect(app.logs.lines.at(-1)).toContain(`Refused OPTIONS ${path}: missing_credentials`);
    });

    it('authenticates an OPTIONS to an @All() route like any request, and gives the handler what authenticated it', async () => {
      // OPTIONS is checked like a request with a body: under 'both', Basic alone is not enough.
      const basicOnly = await send(`${app.url}/method/any`, { method: 'OPTIONS', headers: { authorization: AUTHORIZATION } });
      expect(basicOnly.status).toBe(401);
      expect(app.logs.lines.at(-1)).toContain('Refused OPTIONS /method/any: missing_signature');
      const body = JSON.stringify({ call_sid: 'abc' });
      const headers = {
        'content-type': 'application/json',
        authorization: AUTHORIZATION,
        'jambonz-signature': generateSignatureHeader(body, SECRET),
      };
      const both = await send(`${app.url}/method/any`, { method: 'OPTIONS', headers, body });
      expect(both.status).toBe(200);
      expect(both.json).toMatchObject({ body: { call_sid: 'abc' }, auth: { verifiedBy: 'both', username: 'jambonz' } });
    });

    it('refuses an unauthenticated OPTIONS to a route declared @Options() with allowOptionsRequests: false', async () => {
      let status = 0;
      const handlers = await ran(async () => (status = (await send(`${app.url}/method/closed`, { method: 'OPTIONS' })).status));
      expect([status, handlers]).toEqual([401, []]);
    });

    it('never runs the handler of a route that takes no OPTIONS', async () => {
      let status = 0;
      const handlers = await ran(
        async () => (status = (await send(`${app.url}/method/post-only`, { method: 'OPTIONS' })).status),
      );
      expect([status, handlers]).toEqual([404, []]);
    });
  });
});
