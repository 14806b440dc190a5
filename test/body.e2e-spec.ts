import { request as httpRequest } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json } from 'express';
import {
  generateSignatureHeader,
  JambonzAuthModule,
  type JambonzAuthModuleOptions,
  type JambonzSecretResolverContext,
} from '../src/index.js';
import { ADAPTERS, createApp, startApp, type AdapterName, type BodySetup, type RunningApp } from './support/app.js';
import { GetWebhookController, WebhookController } from './support/controllers.js';
import { fixture } from './support/fixtures.js';
import { basic, send } from './support/http.js';

const SECRET = 'wh_secret_e2eBodySuite0000001';
const JSON_TYPE = { 'content-type': 'application/json' };
const signedHeaders = (body: string | Buffer, secret = SECRET, type = JSON_TYPE) => ({
  ...type,
  'jambonz-signature': generateSignatureHeader(body, secret),
});
const echoed = (reply: { json: unknown }) => (reply.json as Array<{ body?: unknown; auth?: { bodySource?: string } }>)[1]!;

async function appWith(
  adapter: AdapterName,
  setup: BodySetup,
  options: Partial<JambonzAuthModuleOptions> = {},
  configure?: Parameters<typeof startApp>[4],
) {
  return startApp(
    adapter,
    setup,
    [JambonzAuthModule.forRoot({ secret: SECRET, ...options } as JambonzAuthModuleOptions)],
    [WebhookController],
    configure,
  );
}

/** Posts `bytes` one byte per write, so a multi-byte character can arrive split across chunks. */
function postInOneByteChunks(
  url: string,
  headers: Record<string, string>,
  bytes: Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-length': String(bytes.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.on('socket', (socket) => socket.setNoDelay(true));
    const writeFrom = (i: number): void => {
      if (i === bytes.length) {
        req.end();
        return;
      }
      req.write(bytes.subarray(i, i + 1), () => setImmediate(() => writeFrom(i + 1)));
    };
    writeFrom(0);
  });
}

describe.each(ADAPTERS)('request bodies on %s', (adapter) => {
  const { body, payload } = fixture('call-hook-inbound-unicode-caller');

  describe('an app that keeps the raw body', () => {
    it('verifies the exact bytes', async () => {
      const app = await appWith(adapter, 'raw-body');
      try {
        const reply = await send(`${app.url}/call`, { headers: signedHeaders(body), body });
        expect(reply.status).toBe(200);
        expect(echoed(reply).auth?.bodySource).toBe('raw-body');
      } finally {
        await app.close();
      }
    });
  });

  if (adapter === 'express') {
    describe('an app whose body parser drops the raw bytes', () => {
      it('does not start, and says to create the app with { rawBody: true }', async () => {
        const { app } = await createApp(adapter, 'parsed', [JambonzAuthModule.forRoot({ secret: SECRET })], [WebhookController]);
        await expect(app.init()).rejects.toThrow(
          "WebhookController.onCall verifies signatures, but the app's JSON body parser keeps no raw body, so only " +
            'JSON.stringify(req.body) would be left to verify: create the app with NestFactory.create(AppModule, { rawBody: true }). ' +
            '(To verify the re-serialised body instead, set allowReserializedBody: true.)',
        );
        await app.close();
      });

      it('starts when the app reads the body itself (bodyParser: false), since the module then reads the stream', async () => {
        const app = await appWith(adapter, 'stream');
        try {
          const reply = await send(`${app.url}/call`, { headers: signedHeaders(body), body });
          expect(echoed(reply).auth?.bodySource).toBe('stream');
        } finally {
          await app.close();
        }
      });
    });
  } else {
    describe.each(['parsed', 'stream'] as const)('without rawBody: true (set-up %s)', (setup) => {
      let app: RunningApp;
      beforeAll(async () => {
        app = await appWith(adapter, setup);
      });
      afterAll(() => app.close());

      it('still verifies the exact bytes: the module copies them as Fastify reads the body', async () => {
        const reply = await send(`${app.url}/call`, { headers: signedHeaders(body), body });
        expect(reply.status).toBe(200);
        expect(echoed(reply).body).toEqual(payload);
        expect(echoed(reply).auth?.bodySource).toBe('raw-body');
        const pretty = JSON.stringify(payload, null, 2);
        expect((await send(`${app.url}/call`, { headers: signedHeaders(pretty), body: pretty })).status).toBe(200);
      });

      it('refuses a genuine body re-sent wrapped as a JSON string literal', async () => {
        const reply = await send(`${app.url}/call`, { headers: signedHeaders(body), body: JSON.stringify(body) });
        expect(reply.status).toBe(401);
      });

      it('leaves requests without a signature alone', async () => {
        const reply = await send(`${app.url}/unprotected`, { headers: JSON_TYPE, body });
        expect(reply.status).toBe(201);
      });
    });
  }

  // Fastify without rawBody is the platform's own body handling: the module captures the bytes.
  describe.each<BodySetup>(adapter === 'fastify' ? ['raw-body', 'parsed'] : ['raw-body'])(
    'deeply nested JSON with a forged signature (%s)',
    (setup) => {
      let app: RunningApp;
      beforeAll(async () => {
        app = await appWith(adapter, setup);
      });
      afterAll(() => app.close());

      it.each([
        ['arrays', '['.repeat(20_000) + ']'.repeat(20_000)],
        ['objects', '{"a":'.repeat(15_000) + '1' + '}'.repeat(15_000)],
      ])('of %s gets 401, never 500', async (_kind, deep) => {
        for (const header of [
          't=1,v1=' + '0'.repeat(64),
          signedHeaders(deep, 'wh_secret_forgedForged000000')['jambonz-signature'],
        ]) {
          const reply = await send(`${app.url}/call`, { headers: { ...JSON_TYPE, 'jambonz-signature': header }, body: deep });
          expect(reply.status).toBe(401);
        }
        expect(app.logs.lines.join('\n')).not.toMatch(/RangeError|Maximum call stack|^error/m);
      });
    },
  );

  describe('the secret resolver', () => {
    let app: RunningApp;
    const calls: Array<string | undefined> = [];
    const accountSid = payload.account_sid as string;
    beforeAll(async () => {
      const secretResolver = ({ accountSid: sid }: JambonzSecretResolverContext) => {
        calls.push(sid);
        if (sid === 'explode') throw new Error('database unavailable');
        return sid === accountSid ? ['wh_secret_accountOne0000000', SECRET] : undefined;
      };
      app = await startApp(
        adapter,
        'raw-body',
        [JambonzAuthModule.forRoot({ secretResolver, secretResolverCacheTtl: 60 })],
        [WebhookController],
      );
    });
    afterAll(() => app.close());

    it("picks the secrets by the body's account_sid and caches them", async () => {
      calls.length = 0;
      for (let i = 0; i < 3; i++) {
        const reply = await send(`${app.url}/call`, { headers: signedHeaders(body), body });
        expect(reply.status).toBe(200);
        expect((echoed(reply).auth as { accountSid?: string }).accountSid).toBe(accountSid);
      }
      expect(calls).toEqual([accountSid]);
    });

    it.each([
      ['an unknown account', { ...payload, account_sid: 'someone-else' }, 'no_secret'],
      ['a body without account_sid', { call_sid: 'x' }, 'no_secret'],
      ['a resolver that throws', { ...payload, account_sid: 'explode' }, 'secret_resolver_failed'],
    ])('refuses %s with 401', async (_name, other, reason) => {
      const text = JSON.stringify(other);
      const lines = app.logs.lines.length;
      const reply = await send(`${app.url}/call`, { headers: signedHeaders(text), body: text });
      expect(reply.status).toBe(401);
      expect(app.logs.lines.slice(lines).join('\n')).toContain(`Refused POST /call: ${reason}`);
    });
  });

  describe('the body null, which jambonz sends for a hook without parameters', () => {
    it('passes once the JSON parser accepts non-object JSON', async () => {
      const configure = (nest: unknown) => (nest as NestExpressApplication).useBodyParser('json', { strict: false });
      const app = await appWith(adapter, 'raw-body', {}, adapter === 'express' ? configure : undefined);
      try {
        const reply = await send(`${app.url}/call`, { headers: signedHeaders('null'), body: 'null' });
        expect(reply.status).toBe(200);
        expect(echoed(reply).body).toBeNull();
        expect(echoed(reply).auth?.bodySource).toBe('raw-body');
      } finally {
        await app.close();
      }
    });
  });
});

describe('the module reading the stream itself (Express with bodyParser: false)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await appWith('express', 'stream', { maxBodyBytes: 8 * 1024 });
  });
  afterAll(() => app.close());

  it('verifies a body sent one byte at a time, multi-byte characters split across chunks', async () => {
    const { body, payload } = fixture('sms-inbound');
    const reply = await postInOneByteChunks(`${app.url}/call`, signedHeaders(body), Buffer.from(body, 'utf8'));
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)[1].body).toEqual(payload);
  });

  it('answers 413 for a body over maxBodyBytes', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(9 * 1024) });
    const reply = await send(`${app.url}/call`, { headers: signedHeaders(big), body: big });
    expect(reply.status).toBe(413);
  });

  it('answers 400 for an authenticated body that is not the JSON its type says', async () => {
    const truncated = '{"call_sid":"abc"';
    const reply = await send(`${app.url}/call`, { headers: signedHeaders(truncated), body: truncated });
    expect(reply.status).toBe(400);
  });

  it('answers 401, not 400, for a forged truncated body', async () => {
    const truncated = '{"call_sid":"abc"';
    const reply = await send(`${app.url}/call`, {
      headers: signedHeaders(truncated, 'wh_secret_forgedForged000000'),
      body: truncated,
    });
    expect(reply.status).toBe(401);
  });

  it.each([
    ['another content type', 'text/plain'],
    ['another charset', 'application/json; charset=utf-7'],
    ['a form', 'application/x-www-form-urlencoded'],
  ])('refuses a signed body of %s with 401: jambonz signs only application/json in UTF-8', async (_what, type) => {
    const text = JSON.stringify({ call_sid: 'abc' });
    const reply = await send(`${app.url}/call`, { headers: signedHeaders(text, SECRET, { 'content-type': type }), body: text });
    expect(reply.status).toBe(401);
    expect(app.logs.lines.at(-1)).toContain('Refused POST /call: unsupported_content_type');
  });
});

describe('the re-serialising fallback (allowReserializedBody, Express without raw body)', () => {
  const { body, payload } = fixture('call-hook-inbound-unicode-caller');
  let app: RunningApp;
  beforeAll(async () => {
    // strict: false takes any JSON value: the set-up where a body re-wrapped as a JSON string reaches the guard.
    const configure = (nest: unknown) => (nest as NestExpressApplication).useBodyParser('json', { strict: false });
    app = await appWith('express', 'parsed', { allowReserializedBody: true }, configure);
  });
  afterAll(() => app.close());

  it('accepts what jambonz sends and warns once, naming the one-line fix', async () => {
    for (let i = 0; i < 2; i++) {
      const reply = await send(`${app.url}/call`, { headers: signedHeaders(body), body });
      expect(echoed(reply).auth?.bodySource).toBe('reserialized');
    }
    const warnings = app.logs.lines.filter((line) => line.includes('JSON.stringify(req.body)'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('{ rawBody: true }');
  });

  it.each([
    ['pretty-printed JSON', JSON.stringify(payload, null, 2)],
    ['an escaped character', '{"caller_name":"Jos\\u00e9"}'],
    ['a number written 1.0', '{"duration":1.0}'],
  ])('refuses %s, which does not survive re-serialising (401, never 5xx)', async (_name, text) => {
    const reply = await send(`${app.url}/call`, { headers: signedHeaders(text), body: text });
    expect(reply.status).toBe(401);
  });

  it('refuses a genuine body re-sent wrapped as a JSON string literal: the handler would get a string', async () => {
    const reply = await send(`${app.url}/call`, { headers: signedHeaders(body), body: JSON.stringify(body) });
    expect(reply.status).toBe(401);
    expect(app.logs.lines.at(-1)).toContain('Refused POST /call: signature_mismatch');
  });

  it.each([
    ['arrays', '['.repeat(20_000) + ']'.repeat(20_000)],
    ['objects', '{"a":'.repeat(15_000) + '1' + '}'.repeat(15_000)],
  ])('answers 401, never 500, for deeply nested %s that cannot be re-serialised, even signed', async (_kind, deep) => {
    for (const header of ['t=1,v1=' + '0'.repeat(64), signedHeaders(deep)['jambonz-signature']]) {
      const lines = app.logs.lines.length;
      const reply = await send(`${app.url}/call`, { headers: { ...JSON_TYPE, 'jambonz-signature': header }, body: deep });
      expect(reply.status).toBe(401);
      const logged = app.logs.lines.slice(lines).join('\n');
      expect(logged).not.toMatch(/RangeError|Maximum call stack/);
      expect(logged).toMatch(/Refused POST \/call: (body_unavailable|timestamp_out_of_tolerance)/);
    }
  });
});

describe("an Express app that keeps the raw body with its own parser's verify", () => {
  it.each([
    ['a Buffer', (buf: Buffer) => buf],
    ['its UTF-8 text', (buf: Buffer) => buf.toString('utf8')],
  ])('starts, and verifies the bytes it kept as %s', async (_what, keep) => {
    const { body } = fixture('call-hook-inbound-unicode-caller');
    const configure = (nest: unknown) =>
      (nest as NestExpressApplication).use(
        json({ verify: (req, _res, buf) => ((req as unknown as { rawBody: unknown }).rawBody = keep(buf)) }),
      );
    const app = await appWith('express', 'stream', {}, configure);
    try {
      const reply = await send(`${app.url}/call`, { headers: signedHeaders(body), body });
      expect(reply.status).toBe(200);
      expect(echoed(reply).auth?.bodySource).toBe('raw-body');
    } finally {
      await app.close();
    }
  });
});

describe("Basic alone when the module reads the body itself (Express, bodyParser: false, require 'either')", () => {
  const CREDENTIALS = { username: 'jambonz', password: 'p:ss wörd' };
  let app: RunningApp;
  beforeAll(async () => {
    app = await appWith('express', 'stream', { basicAuth: CREDENTIALS, require: 'either' });
  });
  afterAll(() => app.close());

  it('still hands the handler the body, as after a signature check', async () => {
    const { body, payload } = fixture('call-hook-inbound');
    const headers = { ...signedHeaders(body), authorization: basic(CREDENTIALS.username, CREDENTIALS.password) };
    const reply = await send(`${app.url}/call`, { headers, body });
    expect(reply.status).toBe(200);
    expect(echoed(reply).body).toEqual(payload);
    expect(echoed(reply).auth).toMatchObject({ verifiedBy: 'basic' });
  });
});

describe.each(ADAPTERS)('what the handler receives is what was verified, on %s with rawBody', (adapter) => {
  const { body, payload } = fixture('call-hook-inbound');
  let app: RunningApp;
  beforeAll(async () => {
    app = await appWith(adapter, 'raw-body');
  });
  afterAll(() => app.close());

  it.each([
    ['charset=utf-7, which the parser would decode differently', 'application/json; charset=utf-7'],
    ['a form, which the parser would turn into one field', 'application/x-www-form-urlencoded'],
  ])('refuses a genuine body re-sent as %s', async (_what, type) => {
    const reply = await send(`${app.url}/call`, { headers: signedHeaders(body, SECRET, { 'content-type': type }), body });
    expect(reply.status).toBe(401);
  });

  it('accepts the charset jambonz could add, UTF-8', async () => {
    const headers = signedHeaders(body, SECRET, { 'content-type': 'application/json; charset=UTF-8' });
    const reply = await send(`${app.url}/call`, { headers, body });
    expect(reply.status).toBe(200);
    expect(echoed(reply).body).toEqual(payload);
  });
});

describe("a GET or HEAD that carries a body, under require 'both' (Express parses GET bodies)", () => {
  const CREDENTIALS = { username: 'jambonz', password: 'p:ss wörd' };
  const forged = JSON.stringify({ speech: { alternatives: [{ transcript: 'ATTACKER CONTROLLED' }] } });
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(
      'express',
      'raw-body',
      [JambonzAuthModule.forRoot({ secret: SECRET, basicAuth: CREDENTIALS })],
      [WebhookController, GetWebhookController],
    );
  });
  afterAll(() => app.close());

  it('is checked as a request with a body: Basic alone does not hand the handler a body nobody signed', async () => {
    const authorization = basic(CREDENTIALS.username, CREDENTIALS.password);
    // fetch sends no body on GET: node:http does, as an attacker's client would.
    const status = await new Promise<number>((resolve, reject) => {
      const headers = { ...JSON_TYPE, authorization, 'content-length': String(Buffer.byteLength(forged)) };
      const req = httpRequest(`${app.url}/call`, { method: 'GET', headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(forged);
    });
    expect(status).toBe(401);
    expect(app.logs.lines.at(-1)).toContain('Refused GET /call: missing_signature');
    const bodiless = await send(`${app.url}/call`, { method: 'GET', headers: { authorization } });
    expect(bodiless.status).toBe(200);
  });
});
