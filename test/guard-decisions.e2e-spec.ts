import { Controller, Get, Next, Post } from '@nestjs/common';
import {
  generateSignatureHeader,
  JambonzAuth,
  JambonzAuthModule,
  JambonzWebhook,
  MemoryReplayStore,
  type JambonzAuthContext,
} from '../src/index.js';
import { ADAPTERS, createApp, startApp, type RunningApp } from './support/app.js';
import { GetWebhookController, WebhookController } from './support/controllers.js';
import { fixture } from './support/fixtures.js';
import { basic, send } from './support/http.js';

// Which checks the guard runs, in which order, and what it says about a refusal: each refusal
// is one log line, exactly `Refused <method> <path>: <reasons>`, listing the checks that ran.

const SECRET = 'wh_secret_e2eGuardDecisions1';
const USER = 'jambonz';
const PASS = 'p:ss wörd';
const { body, payload } = fixture('call-hook-inbound');
const signature = (text = body, secret = SECRET) => generateSignatureHeader(text, secret);
const JSON_TYPE = { 'content-type': 'application/json' };

/** The log lines an action added. */
async function newLines(app: RunningApp, action: () => Promise<unknown>): Promise<string[]> {
  const before = app.logs.lines.length;
  await action();
  return app.logs.lines.slice(before);
}

/** The decorator on the class and again on a method: the guard and the interceptor are bound twice. */
@Controller('twice')
@JambonzWebhook()
class DecoratedTwiceController {
  @Post('hook')
  @JambonzWebhook({ tolerance: 120 })
  onHook(@JambonzAuth() auth: JambonzAuthContext) {
    return [{ verb: 'echo', auth }];
  }
}

/** A handler that hands its request on (`next()`) to the next route Express matches. */
@Controller('chain')
class PassingOnController {
  @Post(':leg')
  @JambonzWebhook({ secrets: 'a' })
  onAnyLeg(@Next() next: () => void) {
    next();
  }
}

@Controller('chain')
class ChainEndController {
  @Post('b')
  @JambonzWebhook({ secrets: 'b' })
  onB(@JambonzAuth() auth: JambonzAuthContext) {
    return [{ verb: 'echo', auth }];
  }
}

@Controller('signed-get')
class SignedGetController {
  @Get('status')
  @JambonzWebhook({ require: 'signature' })
  onStatus() {
    return [];
  }
}

describe.each(ADAPTERS)('guard decisions on %s', (adapter) => {
  describe("require: 'both'", () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(
        adapter,
        'raw-body',
        [JambonzAuthModule.forRoot({ secret: SECRET, basicAuth: { username: USER, password: PASS }, realm: 'hooks' })],
        [WebhookController, GetWebhookController],
      );
    });
    afterAll(() => app.close());

    it('checks Basic first and stops there when it fails: one reason, no challenge for the signature', async () => {
      const lines = await newLines(app, async () => {
        const reply = await send(`${app.url}/call?token=abc`, {
          headers: { ...JSON_TYPE, 'jambonz-signature': signature(), authorization: basic(USER, 'wrong') },
          body,
        });
        expect(reply.status).toBe(401);
        expect(reply.headers.get('www-authenticate')).toBe('Basic realm="hooks", charset="UTF-8"');
      });
      expect(lines).toEqual(['warn Refused POST /call: credentials_mismatch JambonzAuthGuard']);
    });

    it('then checks the signature', async () => {
      const lines = await newLines(app, async () => {
        const reply = await send(`${app.url}/call`, {
          headers: {
            ...JSON_TYPE,
            'jambonz-signature': signature(body, 'wh_secret_someoneElse000000'),
            authorization: basic(USER, PASS),
          },
          body,
        });
        expect(reply.status).toBe(401);
      });
      expect(lines).toEqual(['warn Refused POST /call: signature_mismatch JambonzAuthGuard']);
    });

    it('says both passed', async () => {
      const reply = await send(`${app.url}/call`, {
        headers: { ...JSON_TYPE, 'jambonz-signature': signature(), authorization: basic(USER, PASS) },
        body,
      });
      expect(reply.status).toBe(200);
      expect((reply.json as Array<{ auth?: JambonzAuthContext }>)[1]!.auth).toEqual({
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

    it('checks only Basic on HEAD, which carries no body either', async () => {
      const lines = await newLines(app, async () => {
        const accepted = await send(`${app.url}/call`, { method: 'HEAD', headers: { authorization: basic(USER, PASS) } });
        const refused = await send(`${app.url}/call`, { method: 'HEAD', headers: { 'jambonz-signature': signature('') } });
        expect([accepted.status, refused.status]).toEqual([200, 401]);
      });
      expect(lines).toEqual(['warn Refused HEAD /call: missing_credentials JambonzAuthGuard']);
    });
  });

  describe("require: 'either'", () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(
        adapter,
        'raw-body',
        [JambonzAuthModule.forRoot({ secret: SECRET, basicAuth: { username: USER, password: PASS }, require: 'either' })],
        [WebhookController],
      );
    });
    afterAll(() => app.close());

    it('stops at Basic when it passes: the signature is not checked', async () => {
      const reply = await send(`${app.url}/call`, {
        headers: { ...JSON_TYPE, 'jambonz-signature': signature(), authorization: basic(USER, PASS) },
        body,
      });
      expect(reply.status).toBe(200);
      const { auth } = (reply.json as Array<{ auth: JambonzAuthContext }>)[1]!;
      // Basic alone covers no body: the account_sid in it is the sender's word, not given as verified.
      expect(auth).toEqual({ verifiedBy: 'basic', username: USER, credentialSet: 'default', credentialIndex: 0 });
    });

    it('lists both reasons, Basic first, when neither passes', async () => {
      const lines = await newLines(app, async () => {
        const reply = await send(`${app.url}/call`, {
          headers: { ...JSON_TYPE, 'jambonz-signature': signature(body, 'wh_secret_someoneElse000000') },
          body,
        });
        expect(reply.status).toBe(401);
      });
      expect(lines).toEqual(['warn Refused POST /call: missing_credentials, signature_mismatch JambonzAuthGuard']);
    });
  });

  describe('a GET route that requires a signature alone', () => {
    it('stops the application at bootstrap, saying why and what to require instead', async () => {
      const { app } = await createApp(
        adapter,
        'raw-body',
        [JambonzAuthModule.forRoot({ secret: SECRET, basicAuth: { username: USER, password: PASS } })],
        [SignedGetController],
      );
      await expect(app.init()).rejects.toThrow(
        'JambonzAuthModule: SignedGetController.onStatus takes GET requests and requires a signature alone',
      );
      await app.close();
    });
  });

  describe('the module reading an invalid JSON body itself', () => {
    it("answers 400 with Nest's error body once the request is authenticated", async () => {
      const app = await startApp(adapter, 'stream', [JambonzAuthModule.forRoot({ secret: SECRET })], [WebhookController]);
      try {
        const truncated = '{"call_sid":"abc"';
        const reply = await send(`${app.url}/call`, {
          headers: { ...JSON_TYPE, 'jambonz-signature': signature(truncated) },
          body: truncated,
        });
        // Fastify parses JSON itself even with bodyParser off: its own parser answers 400 first.
        expect(reply.status).toBe(400);
        if (adapter === 'express') {
          expect(reply.json).toEqual({ statusCode: 400, message: 'The body is not valid JSON', error: 'Bad Request' });
        }
      } finally {
        await app.close();
      }
    });
  });

  describe('the decorator on both a class and its method, with replay protection', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(
        adapter,
        'raw-body',
        [JambonzAuthModule.forRoot({ secret: SECRET, replay: { store: new MemoryReplayStore() } })],
        [DecoratedTwiceController],
      );
    });
    afterAll(() => app.close());

    it('authenticates and claims once, so the request is not taken for its own duplicate', async () => {
      const headers = { ...JSON_TYPE, 'jambonz-signature': signature() };
      const first = await send(`${app.url}/twice/hook`, { headers, body });
      const again = await send(`${app.url}/twice/hook`, { headers, body });
      expect([first.status, again.status]).toEqual([200, 409]);
      expect((first.json as Array<{ auth?: JambonzAuthContext }>)[0]!.auth).toMatchObject({ verifiedBy: 'signature' });
    });
  });
});

describe('a request handed on with next() on express', () => {
  const B = 'wh_secret_e2eGuardDecisions2';
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(
      'express',
      'raw-body',
      [JambonzAuthModule.forRoot({ namedSecrets: { a: SECRET, b: B } })],
      [PassingOnController, ChainEndController],
    );
  });
  afterAll(() => app.close());

  it("is checked against the next route's policy: let through for one secret set, refused for the other", async () => {
    const lines = await newLines(app, async () => {
      const reply = await send(`${app.url}/chain/b`, { headers: { ...JSON_TYPE, 'jambonz-signature': signature() }, body });
      expect(reply.status).toBe(401);
    });
    expect(lines).toEqual(['warn Refused POST /chain/b: signature_mismatch JambonzAuthGuard']);
  });
});
