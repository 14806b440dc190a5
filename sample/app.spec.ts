import {
  JAMBONZ_ENV,
  JAMBONZ_SAMPLES,
  JAMBONZ_SESSION_NEW_SAMPLE,
  signWebhook,
  TEST_CREDENTIALS,
  type SignWebhookOptions,
} from 'nestjs-jambonz-auth/testing';
import { createProgram } from '../src/cli/program.js';
import { CapturedLogs } from '../test/support/captured-logs.js';
import { fixture, fixtures } from '../test/support/fixtures.js';
import { basic, send, type Reply } from '../test/support/http.js';
import { connect, refusal } from '../test/support/ws.js';
import { createSampleApp } from './create-app.js';
import { APP_ENV_VARS } from './call.controller.js';
import { developmentWarning } from './jambonz-config.js';

const SECRET = 'wh_secret_sampleAppSpecCurrent1';
const OLD_SECRET = 'wh_secret_sampleAppSpecPrevious';
const CREDENTIALS = { username: 'jambonz', password: 'p:ss wörd' };
const STATUS_CREDENTIALS = { username: 'status', password: 'route:pass' };
const AUTHORIZATION = basic(CREDENTIALS.username, CREDENTIALS.password);

type SampleEnv = Partial<Record<keyof typeof JAMBONZ_ENV, string>>;

interface RunningSample {
  readonly url: string;
  readonly logs: CapturedLogs;
  close(): Promise<void>;
}

/**
 * Runs `create` with `env` as the only JAMBONZ_ENV variables of process.env, restoring them
 * afterwards: the sample's config factory reads them while the app is created, and only then.
 */
async function withEnv<T>(env: SampleEnv, create: () => Promise<T>): Promise<T> {
  const saved = Object.values(JAMBONZ_ENV).map((name) => [name, process.env[name]] as const);
  for (const [key, name] of Object.entries(JAMBONZ_ENV)) {
    const value = env[key as keyof SampleEnv];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    return await create();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** Boots the sample as sample/main.ts does (createSampleApp) on a free loopback port. */
async function startSample(env: SampleEnv): Promise<RunningSample> {
  const logs = new CapturedLogs();
  const app = await withEnv(env, () => createSampleApp(logs));
  await app.listen(0, '127.0.0.1');
  return { url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), logs, close: () => app.close() };
}

/** Starts one sample app with `env` for the tests of the enclosing describe block. */
function sampleWith(env: SampleEnv): { readonly current: RunningSample } {
  const holder = {} as { current: RunningSample };
  beforeAll(async () => {
    holder.current = await startSample(env);
  });
  afterAll(() => holder.current.close());
  return holder;
}

/**
 * POSTs `payload` to `path` as jambonz sends it (compact JSON.stringify body), signed, with the
 * test credentials the sample takes when none are configured.
 */
function post(sample: RunningSample, path: string, payload: unknown, options: SignWebhookOptions = {}): Promise<Reply> {
  const { body, headers } = signWebhook(payload, { secret: SECRET, basicAuth: TEST_CREDENTIALS, ...options });
  return send(`${sample.url}${path}`, { headers, body });
}

/** Log lines written while `action` ran. */
async function logsDuring(sample: RunningSample, action: () => Promise<unknown>): Promise<string> {
  const from = sample.logs.lines.length;
  await action();
  return sample.logs.lines.slice(from).join('\n');
}

/** Runs `jambonz-webhook <args>` in-process with an empty environment, as a user with no configuration would. */
async function runCli(args: readonly string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const cli = createProgram(
    {
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
      fetch: globalThis.fetch,
      env: {},
      cwd: process.cwd(),
      now: () => Date.now() / 1000,
    },
    { version: 'test' },
  );
  return { code: await cli.run(args), stdout };
}

function expectVerbs(reply: Reply): Array<Record<string, unknown>> {
  expect(reply.status).toBe(200);
  expect(Array.isArray(reply.json)).toBe(true);
  const verbs = reply.json as Array<Record<string, unknown>>;
  for (const verb of verbs) expect(typeof verb.verb).toBe('string');
  return verbs;
}

function expectRefused(reply: Reply, secrets: readonly string[]): void {
  expect(reply.status).toBe(401);
  for (const secret of secrets) expect(reply.text).not.toContain(secret);
}

const now = () => Math.floor(Date.now() / 1000);
const call = fixture('call-hook-inbound');

describe('the sample app with a webhook secret', () => {
  const sample = sampleWith({ secret: SECRET });

  describe.each([
    ['/call', 'the call hook'],
    ['/action/gather', 'an action hook'],
  ])('POST %s (%s)', (path) => {
    it.each(fixtures.map((f) => [f.name, f] as const))('answers genuine %s with 200 and a verb array', async (_name, f) => {
      expect(expectVerbs(await post(sample.current, path, f.payload)).length).toBeGreaterThan(0);
    });
  });

  it.each(fixtures.map((f) => [f.name, f] as const))(
    'answers genuine %s on POST /call-status with 204 and logs the status',
    async (_name, f) => {
      let reply: Reply | undefined;
      const logs = await logsDuring(sample.current, async () => {
        reply = await post(sample.current, '/call-status', f.payload);
      });
      expect([reply!.status, reply!.text]).toEqual([204, '']);
      expect(logs).toContain(`Call ${f.payload.call_sid}: ${f.payload.call_status}`);
    },
  );

  it('takes the body null, which jambonz sends for a hook without parameters', async () => {
    const reply = await post(sample.current, '/action/redirect', 'null');
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual([]);
  });

  it("takes a body past Express's 100 kB default (a call hook with a long SIP message)", async () => {
    const sip = call.payload.sip as { raw: string };
    const large = { ...call.payload, sip: { ...sip, raw: sip.raw + 'a'.repeat(300 * 1024) } };
    expect(expectVerbs(await post(sample.current, '/call', large)).length).toBeGreaterThan(0);
  });

  it('greets the caller by number, then gathers speech or digits into /action/gather', async () => {
    const [say, gather] = expectVerbs(await post(sample.current, '/call', call.payload));
    expect(say).toEqual({ verb: 'say', text: `Welcome to the sample app. You are calling from ${call.payload.from}.` });
    expect(gather).toMatchObject({ verb: 'gather', actionHook: '/action/gather', input: ['speech', 'digits'] });
  });

  it('greets with the GREETING application variable that jambonz sends in env_vars', async () => {
    const [say] = expectVerbs(await post(sample.current, '/call', { ...call.payload, env_vars: { GREETING: '¡Hola!' } }));
    expect(say!.text).toMatch(/^¡Hola!\. You are calling from /);
  });

  it.each([
    [
      '/action/gather',
      'gather-action-speech',
      [{ verb: 'say', text: "You said: I'd like to speak to customer support." }, { verb: 'hangup' }],
    ],
    ['/action/gather', 'gather-action-digits', [{ verb: 'say', text: 'You pressed 4 0 7 1.' }, { verb: 'hangup' }]],
    ['/action/gather', 'dial-action', [{ verb: 'say', text: 'Sorry, I did not catch that.' }, { verb: 'hangup' }]],
    ['/action/dial', 'dial-action', []],
  ])('answers POST %s with %s by the verbs that continue the call', async (path, name, verbs) => {
    expect(expectVerbs(await post(sample.current, path, fixture(name).payload))).toEqual(verbs);
  });

  it('logs what authenticated the call hook, never the signature', async () => {
    const logs = await logsDuring(sample.current, () => post(sample.current, '/call', call.payload));
    expect(logs).toContain(`Call hook for call ${call.payload.call_sid} authenticated by both`);
    expect(logs).not.toMatch(/t=\d+,v1=/);
  });

  it.each([
    [
      'forged with another secret',
      () => signWebhook(call.payload, { secret: 'wh_secret_notTheRightOne00', basicAuth: TEST_CREDENTIALS }),
      'signature_mismatch',
    ],
    [
      'altered after signing',
      () => {
        const signed = signWebhook(call.payload, { secret: SECRET, basicAuth: TEST_CREDENTIALS });
        return { ...signed, body: signed.body.replace('"+15555550142"', '"+15555550666"') };
      },
      'signature_mismatch',
    ],
    [
      'stale by 301 s',
      () => signWebhook(call.payload, { secret: SECRET, timestamp: now() - 301, basicAuth: TEST_CREDENTIALS }),
      'timestamp_out_of_tolerance',
    ],
    [
      'from 301 s in the future',
      () => signWebhook(call.payload, { secret: SECRET, timestamp: now() + 301, basicAuth: TEST_CREDENTIALS }),
      'timestamp_out_of_tolerance',
    ],
    [
      'unsigned',
      () => ({
        body: call.body,
        headers: {
          'content-type': 'application/json',
          authorization: basic(TEST_CREDENTIALS.username, TEST_CREDENTIALS.password),
        },
      }),
      'missing_signature',
    ],
  ])('refuses a call hook %s with 401 that names no secret, and logs why', async (_what, request, reason) => {
    const { body, headers } = request();
    let reply: Reply | undefined;
    const logs = await logsDuring(sample.current, async () => {
      reply = await send(`${sample.current.url}/call`, { headers, body });
    });
    expectRefused(reply!, [SECRET]);
    expect(logs).toContain(`Refused POST /call: ${reason}`);
  });

  it('takes a GET with the test credentials, since none are configured, and refuses one without', async () => {
    const withTest = await send(`${sample.current.url}/call`, {
      method: 'GET',
      headers: { authorization: basic(TEST_CREDENTIALS.username, TEST_CREDENTIALS.password) },
    });
    expect(expectVerbs(withTest).length).toBeGreaterThan(0);
    let reply: Reply | undefined;
    const logs = await logsDuring(sample.current, async () => {
      reply = await send(`${sample.current.url}/call`, {
        method: 'GET',
        headers: signWebhook(call.payload, { secret: SECRET }).headers,
      });
    });
    expectRefused(reply!, [SECRET]);
    expect(logs).toContain('Refused GET /call: missing_credentials');
  });

  it('warned loudly at startup that the Basic credentials are the published test ones', () => {
    expect(sample.current.logs.lines).toContain(
      `warn ${developmentWarning(['JAMBONZ_WEBHOOK_USERNAME/JAMBONZ_WEBHOOK_PASSWORD (Basic credentials: TEST_CREDENTIALS)'])} JambonzConfig`,
    );
  });
});

describe('the sample app with a rotation list in JAMBONZ_WEBHOOK_SECRET', () => {
  const sample = sampleWith({ secret: ` ${SECRET},${OLD_SECRET} ,` });

  it.each([
    ['the new secret', SECRET],
    ['the old secret', OLD_SECRET],
  ])('accepts a call hook signed with %s', async (_what, secret) => {
    expectVerbs(await post(sample.current, '/call', call.payload, { secret }));
  });

  it('refuses any other secret', async () => {
    expectRefused(await post(sample.current, '/call', call.payload, { secret: 'wh_secret_neitherOfThem0000' }), [
      SECRET,
      OLD_SECRET,
    ]);
  });
});

describe('the sample app with a secret and Basic credentials', () => {
  const sample = sampleWith({ secret: SECRET, ...CREDENTIALS });
  const wrong = basic(CREDENTIALS.username, 'not the password');

  it.each([
    ['POST with a signature and the right credentials', 200, 'POST', true, AUTHORIZATION],
    ['POST with a signature and a wrong password', 401, 'POST', true, wrong],
    ['POST with a signature and no credentials', 401, 'POST', true, undefined],
    ['POST with the right credentials and no signature', 401, 'POST', false, AUTHORIZATION],
    ['GET with the right credentials', 200, 'GET', false, AUTHORIZATION],
    ['GET with a wrong password', 401, 'GET', true, wrong],
    ['GET without credentials', 401, 'GET', true, undefined],
  ])('answers %s on /call with %i', async (_what, status, method, signed, authorization) => {
    const { body, headers } = signWebhook(call.payload, { secret: SECRET });
    const reply = await send(`${sample.current.url}/call`, {
      method,
      headers: {
        ...(signed ? headers : { 'content-type': 'application/json' }),
        ...(authorization && { authorization }),
      },
      body: method === 'POST' ? body : undefined,
    });
    if (status === 200) {
      expect(expectVerbs(reply).length).toBeGreaterThan(0);
    } else {
      expectRefused(reply, [SECRET, CREDENTIALS.password]);
      expect(reply.headers.get('www-authenticate')).toMatch(/^Basic /);
    }
  });

  it("takes the call hook's credentials on the status hook too, when it has none of its own", async () => {
    expect((await post(sample.current, '/call-status', call.payload, { basicAuth: CREDENTIALS })).status).toBe(204);
  });

  it('logs that both the signature and the credentials authenticated the call hook', async () => {
    const logs = await logsDuring(sample.current, () => post(sample.current, '/call', call.payload, { basicAuth: CREDENTIALS }));
    expect(logs).toContain('authenticated by both');
  });
});

describe('the sample app with the call status hook credentials', () => {
  const sample = sampleWith({
    secret: SECRET,
    ...CREDENTIALS,
    statusUsername: STATUS_CREDENTIALS.username,
    statusPassword: STATUS_CREDENTIALS.password,
  });
  const status = fixture('call-status-completed').payload;

  it.each([
    ["the status hook's own credentials", STATUS_CREDENTIALS, 204],
    ["the call hook's credentials", CREDENTIALS, 401],
  ])('answers POST /call-status with %s by %i', async (_what, basicAuth, expected) => {
    expect((await post(sample.current, '/call-status', status, { basicAuth })).status).toBe(expected);
  });

  it("keeps the call hook on the call hook's credentials", async () => {
    expect((await post(sample.current, '/call', call.payload, { basicAuth: STATUS_CREDENTIALS })).status).toBe(401);
    expect((await post(sample.current, '/call', call.payload, { basicAuth: CREDENTIALS })).status).toBe(200);
  });
});

describe.each([
  ['a secret', { secret: SECRET }],
  ['a secret and Basic credentials', { secret: SECRET, ...CREDENTIALS }],
  ['no configuration', {}],
])('OPTIONS /call on the sample app with %s', (_what, env) => {
  const sample = sampleWith(env);

  it("answers jambonz's OPTIONS discovery of the app's variables with 200, without any authentication", async () => {
    const reply = await send(`${sample.current.url}/call`, { method: 'OPTIONS' });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual(APP_ENV_VARS);
  });
});

describe('the sample app with no configuration', () => {
  const sample = sampleWith({});

  it('logs the loud warning about the test values at startup', () => {
    expect(sample.current.logs.lines.join('\n')).toContain(
      'This app runs on the published test values of nestjs-jambonz-auth/testing',
    );
  });

  it.each(JAMBONZ_SAMPLES.map((s) => [s.name, s] as const))(
    'accepts sample %s sent by jambonz-webhook with its defaults to the route it names',
    async (name, s) => {
      const { code, stdout } = await runCli(['send', name, '--url', `${sample.current.url}${s.route}`]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^HTTP 20[04] /);
    },
  );
});

describe('the sample app with only one of username and password', () => {
  it.each([
    ['username', { secret: SECRET, username: CREDENTIALS.username }],
    ['password', { secret: SECRET, password: CREDENTIALS.password }],
  ])('does not start with only a %s, and says to set both variables', async (_what, env) => {
    await expect(startSample(env)).rejects.toThrow(`Set both ${JAMBONZ_ENV.username} and ${JAMBONZ_ENV.password}, or neither`);
  });
});

describe('the WebSocket endpoints of the sample app with no configuration', () => {
  const sample = sampleWith({});
  const ws = (path: string) => `${sample.current.url.replace(/^http/, 'ws')}${path}`;

  it("acks session:new with the call hook's verbs, the gather's verb:hook with what it heard, and session:reconnect", async () => {
    const call = await connect(ws('/ws'));
    try {
      expect(call.protocol).toBe('ws.jambonz.org');
      const [say, gather] = (await call.sessionNew(JAMBONZ_SESSION_NEW_SAMPLE.data)).data as Array<Record<string, unknown>>;
      expect(say).toEqual({
        verb: 'say',
        text: `Welcome to the sample app. You are calling from ${JAMBONZ_SESSION_NEW_SAMPLE.data.from}.`,
      });
      expect(gather).toMatchObject({ verb: 'gather', actionHook: '/action/gather' });
      const heard = await call.request('verb:hook', fixture('gather-action-digits').payload, { hook: '/action/gather' });
      expect(heard.data).toEqual([{ verb: 'say', text: 'You pressed 4 0 7 1.' }, { verb: 'hangup' }]);
      expect((await call.sessionReconnect()).data).toEqual([{ verb: 'say', text: 'Sorry, we were cut off.' }, gather]);
    } finally {
      await call.close();
    }
  });

  it('logs the call:status jambonz sends over the socket', async () => {
    const logs = await logsDuring(sample.current, async () => {
      const call = await connect(ws('/ws'));
      await call.sessionNew();
      call.notify('call:status', fixture('call-status-completed').payload);
      await call.close();
    });
    expect(logs).toContain(`Call ${JAMBONZ_SESSION_NEW_SAMPLE.call_sid}: completed`);
    expect(logs).toContain("WebSocket API connection authenticated by basic (credential set 'default')");
  });

  it('takes an audio stream: the metadata, the audio, a DTMF key, and the totals when it ends', async () => {
    const logs = await logsDuring(sample.current, async () => {
      const stream = await connect(ws('/audio'), { kind: 'audio' });
      stream.sendText(JSON.stringify({ sampleRate: 8000, mixType: 'mono', callSid: 'audio-call' }));
      for (let i = 0; i < 5; i++) stream.sendBinary(Buffer.alloc(320));
      stream.sendText(JSON.stringify({ event: 'dtmf', dtmf: '#', duration: 800 }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await stream.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    expect(logs).toContain('Audio stream of call audio-call: 8000 Hz, mono (audio.jambonz.org)');
    expect(logs).toContain('Call audio-call pressed #');
    expect(logs).toContain('Audio stream of call audio-call ended: 5 frames, 1600 bytes');
  });

  it.each([
    ['/ws', {}],
    ['/audio', { kind: 'audio' as const }],
  ])('refuses an upgrade to %s without the credentials before the handshake, and logs why', async (path, options) => {
    let status: number | undefined;
    const logs = await logsDuring(sample.current, async () => {
      status = (await refusal(ws(path), { ...options, credentials: null })).status;
    });
    expect(status).toBe(401);
    expect(logs).toContain(`Refused upgrade to ${path}`);
    expect(logs).toContain('missing_credentials');
  });

  it("answers OPTIONS /ws over HTTP with the app's variables, unauthenticated: jambonz's discovery rewrites ws:// to http://", async () => {
    const reply = await send(`${sample.current.url}/ws`, { method: 'OPTIONS' });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual(APP_ENV_VARS);
  });

  it('opens a session with jambonz-webhook session and its defaults, and prints the ack', async () => {
    const { code, stdout } = await runCli(['session', '--url', ws('/ws')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^101 Switching Protocols \(subprotocol ws\.jambonz\.org/);
    expect(stdout).toContain('"verb": "gather"');
  });
});

describe('the WebSocket endpoints of the sample app with the call hook credentials', () => {
  const sample = sampleWith({ secret: SECRET, ...CREDENTIALS });
  const ws = (path: string) => `${sample.current.url.replace(/^http/, 'ws')}${path}`;

  it.each([
    ['/ws', {}],
    ['/audio', { kind: 'audio' as const }],
  ])('takes them on %s, and refuses the published test credentials', async (path, options) => {
    const genuine = await connect(ws(path), { ...options, credentials: CREDENTIALS });
    await genuine.close();
    expect((await refusal(ws(path), options)).status).toBe(401);
  });
});

describe('the action hooks of the sample app, declared with @All()', () => {
  const sample = sampleWith({ secret: SECRET, ...CREDENTIALS });

  it('take a GET with the call hook credentials', async () => {
    const reply = await send(`${sample.current.url}/action/gather`, { method: 'GET', headers: { authorization: AUTHORIZATION } });
    expect(expectVerbs(reply)).toEqual([{ verb: 'say', text: 'Sorry, I did not catch that.' }, { verb: 'hangup' }]);
  });

  it('refuse an unauthenticated OPTIONS, which only the call hook route answers', async () => {
    const body = JSON.stringify({ call_sid: 'attacker' });
    const reply = await send(`${sample.current.url}/action/gather`, {
      method: 'OPTIONS',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expectRefused(reply, [SECRET]);
  });
});
