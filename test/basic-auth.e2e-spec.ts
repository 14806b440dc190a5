import { Controller, Post } from '@nestjs/common';
import { generateSignatureHeader, JambonzAuthModule, JambonzWebhook, type JambonzAuthModuleOptions } from '../src/index.js';
import { ADAPTERS, createApp, startApp, type RunningApp } from './support/app.js';
import { ClassWebhookController, GetWebhookController, ROUTE_CREDENTIALS, WebhookController } from './support/controllers.js';
import { fixture } from './support/fixtures.js';
import { basic, send } from './support/http.js';

const SECRET = 'wh_secret_e2eBasicSuite000001';
const USER = 'jambonz';
const PASS = 'p:ss wörd';
const CHALLENGE = 'Basic realm="jambonz", charset="UTF-8"';
const { body, payload } = fixture('call-hook-outbound-rest');

const signature = () => generateSignatureHeader(body, SECRET);
const headers = (parts: { sig?: boolean; auth?: string }) => ({
  'content-type': 'application/json',
  ...(parts.sig ? { 'jambonz-signature': signature() } : {}),
  ...(parts.auth ? { authorization: parts.auth } : {}),
});

const CONTROLLERS = [WebhookController, GetWebhookController, ClassWebhookController];

async function withApp(adapter: (typeof ADAPTERS)[number], options: JambonzAuthModuleOptions): Promise<RunningApp> {
  const withRouteSet = { ...options, namedCredentials: { route: ROUTE_CREDENTIALS } };
  return startApp(adapter, 'raw-body', [JambonzAuthModule.forRoot(withRouteSet)], CONTROLLERS);
}

describe.each(ADAPTERS)('Basic auth on %s', (adapter) => {
  describe('secret and credentials: both required by default, as jambonz sends both', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await withApp(adapter, { secret: SECRET, basicAuth: { username: USER, password: PASS } });
    });
    afterAll(() => app.close());

    it('accepts the signature with the right credentials and says both were verified', async () => {
      const reply = await send(`${app.url}/call`, { headers: headers({ sig: true, auth: basic(USER, PASS) }), body });
      expect(reply.status).toBe(200);
      expect((reply.json as Array<{ auth?: unknown }>)[1]!.auth).toEqual({
        verifiedBy: 'both',
        timestamp: expect.any(Number),
        secretSet: 'default',
        secretIndex: 0,
        username: USER,
        credentialSet: 'default',
        credentialIndex: 0,
        accountSid: payload.account_sid,
        bodySource: 'raw-body',
      });
    });

    it.each([
      ['the signature alone', { sig: true }, 'missing_credentials'],
      ['the credentials alone', { auth: basic(USER, PASS) }, 'missing_signature'],
      ['a wrong password', { sig: true, auth: basic(USER, 'wrong') }, 'credentials_mismatch'],
      ['a wrong username', { sig: true, auth: basic('someone', PASS) }, 'credentials_mismatch'],
      ['a Bearer token', { sig: true, auth: 'Bearer abc.def' }, 'missing_credentials'],
      ['credentials that are not base64', { sig: true, auth: 'Basic !!!' }, 'malformed_credentials'],
    ] as const)('refuses %s with 401 and a Basic challenge', async (_name, parts, reason) => {
      const lines = app.logs.lines.length;
      const reply = await send(`${app.url}/call`, { headers: headers(parts), body });
      expect(reply.status).toBe(401);
      expect(reply.headers.get('www-authenticate')).toBe(CHALLENGE);
      expect(reply.text).not.toContain(PASS);
      expect(app.logs.lines.slice(lines).join('\n')).toContain(`Refused POST /call: ${reason}`);
    });

    it('authenticates a GET with Basic alone: jambonz cannot send a verifiable signature without a body', async () => {
      const reply = await send(`${app.url}/call`, { method: 'GET', headers: { authorization: basic(USER, PASS) } });
      expect(reply.status).toBe(200);
      expect((reply.json as Array<{ auth?: unknown }>)[1]!.auth).toEqual({
        verifiedBy: 'basic',
        username: USER,
        credentialSet: 'default',
        credentialIndex: 0,
      });
    });

    it.each([
      ['no credentials', {}],
      ['a signature but no credentials', { 'jambonz-signature': generateSignatureHeader('', SECRET) }],
      ['wrong credentials', { authorization: basic(USER, 'nope') }],
    ])('refuses a GET with %s', async (_name, extra) => {
      const reply = await send(`${app.url}/call`, { method: 'GET', headers: extra });
      expect(reply.status).toBe(401);
      expect(reply.headers.get('www-authenticate')).toBe(CHALLENGE);
    });

    it("lets jambonz's unauthenticated OPTIONS discovery through", async () => {
      const reply = await send(`${app.url}/call`, { method: 'OPTIONS' });
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ GREETING: expect.objectContaining({ type: 'string' }) });
    });

    it("uses the credential set a route names instead of the module's", async () => {
      const own = await send(`${app.url}/class/basic`, {
        headers: headers({ auth: basic(ROUTE_CREDENTIALS.username, ROUTE_CREDENTIALS.password) }),
        body,
      });
      const module = await send(`${app.url}/class/basic`, { headers: headers({ sig: true, auth: basic(USER, PASS) }), body });
      expect([own.status, module.status]).toEqual([200, 401]);
    });
  });

  describe("require: 'either'", () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await withApp(adapter, {
        secret: SECRET,
        basicAuth: [
          { username: 'old', password: 'old-pass' },
          { username: USER, password: PASS },
        ],
        require: 'either',
      });
    });
    afterAll(() => app.close());

    it.each([
      ['the signature alone', { sig: true }, 'signature'],
      ['the credentials alone', { auth: basic(USER, PASS) }, 'basic'],
      ['rotated-out credentials still configured', { auth: basic('old', 'old-pass') }, 'basic'],
      ['a good signature with wrong credentials', { sig: true, auth: basic(USER, 'wrong') }, 'signature'],
    ] as const)('accepts %s', async (_name, parts, verifiedBy) => {
      const reply = await send(`${app.url}/call`, { headers: headers(parts), body });
      expect(reply.status).toBe(200);
      expect((reply.json as Array<{ auth: { verifiedBy: string } }>)[1]!.auth.verifiedBy).toBe(verifiedBy);
    });

    it('says which pair of a rotation matched, by position', async () => {
      const reply = await send(`${app.url}/call`, { headers: headers({ auth: basic('old', 'old-pass') }), body });
      expect((reply.json as Array<{ auth: { credentialIndex: number } }>)[1]!.auth.credentialIndex).toBe(0);
      const current = await send(`${app.url}/call`, { headers: headers({ auth: basic(USER, PASS) }), body });
      expect((current.json as Array<{ auth: { credentialIndex: number } }>)[1]!.auth.credentialIndex).toBe(1);
    });

    it('refuses a request that passes neither, and logs both reasons', async () => {
      const lines = app.logs.lines.length;
      const reply = await send(`${app.url}/call`, { headers: headers({ auth: basic(USER, 'wrong') }), body });
      expect(reply.status).toBe(401);
      expect(app.logs.lines.slice(lines).join('\n')).toContain('Refused POST /call: credentials_mismatch, missing_signature');
    });
  });

  describe('credentials only, with a custom realm and OPTIONS closed', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await withApp(adapter, {
        basicAuth: { username: USER, password: PASS },
        realm: 'voice app',
        allowOptionsRequests: false,
      });
    });
    afterAll(() => app.close());

    it('accepts the credentials without any signature', async () => {
      const reply = await send(`${app.url}/call`, { headers: headers({ auth: basic(USER, PASS) }), body });
      expect(reply.status).toBe(200);
    });

    it('challenges with the configured realm', async () => {
      const reply = await send(`${app.url}/call`, { headers: headers({ sig: true }), body });
      expect(reply.status).toBe(401);
      expect(reply.headers.get('www-authenticate')).toBe('Basic realm="voice app", charset="UTF-8"');
    });

    it('authenticates OPTIONS when allowOptionsRequests is false', async () => {
      const refused = await send(`${app.url}/call`, { method: 'OPTIONS' });
      const accepted = await send(`${app.url}/call`, { method: 'OPTIONS', headers: { authorization: basic(USER, PASS) } });
      expect([refused.status, accepted.status]).toEqual([401, 200]);
    });
  });

  describe('a GET route under a module that requires the signature alone', () => {
    it('stops the application at bootstrap instead of refusing every GET', async () => {
      const options = { secret: SECRET, basicAuth: { username: USER, password: PASS }, require: 'signature' as const };
      const { app } = await createApp(adapter, 'raw-body', [JambonzAuthModule.forRoot(options)], [GetWebhookController]);
      await expect(app.init()).rejects.toThrow(
        'GetWebhookController.onGetCall takes GET requests and requires a signature alone',
      );
      await app.close();
    });
  });
});

/**
 * jambonz drops the call hook's Basic credentials after a `redirect` verb to an absolute URL on
 * another host, and keeps signing (JAMBONZ-FACTS.md): from then on, the call's action hooks
 * arrive with a signature and no Authorization header.
 */
@Controller('redirected')
class RedirectedCallController {
  /** The action hook of a call redirected here from another host: a signature, no Basic. */
  @Post('action')
  @JambonzWebhook({ require: 'signature' })
  onAction() {
    return [{ verb: 'hangup' }];
  }
}

describe.each(ADAPTERS)("a redirected call's action hook on %s", (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(
      adapter,
      'raw-body',
      [JambonzAuthModule.forRoot({ secret: SECRET, basicAuth: { username: USER, password: PASS } })],
      [RedirectedCallController, WebhookController],
    );
  });
  afterAll(() => app.close());

  it("is accepted on the route configured for it (require: 'signature'), signed and without credentials", async () => {
    const reply = await send(`${app.url}/redirected/action`, { headers: headers({ sig: true }), body });
    expect(reply.status).toBe(200);
  });

  it("is refused on a route that keeps the secure default ('both'), which expects the call hook's credentials", async () => {
    const reply = await send(`${app.url}/action/gather`, { headers: headers({ sig: true }), body });
    expect(reply.status).toBe(401);
    expect(app.logs.lines.at(-1)).toContain('Refused POST /action/gather: missing_credentials');
  });
});
