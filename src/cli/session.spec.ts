import { Module } from '@nestjs/common';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { JambonzAuthModule } from '../index.js';
import { JAMBONZ_ENV as ENV, JAMBONZ_SESSION_NEW_SAMPLE, TEST_CREDENTIALS } from '../testing/index.js';
import { JambonzGateway } from '../websocket/index.js';
import type { RunningApp } from '../../test/support/app.js';
import { GatewaysModule, greeting } from '../../test/support/gateways.js';
import { allReplies } from '../../test/support/http.js';
import { startWsApp, wsUrl } from '../../test/support/ws.js';
import { ExitCode } from './exit-code.js';
import type { CliIo } from './io.js';
import { createProgram } from './program.js';

/** A gateway that answers nothing: session:new is acked without verbs. */
@JambonzGateway({ path: '/silent', kind: 'api' })
class SilentGateway {}

@Module({ providers: [SilentGateway] })
class SilentModule {}

const OTHER = { username: 'operator', password: 'p:ss wörd' };

/** Runs `jambonz-webhook <args>` in-process, with an empty environment unless `env` says otherwise. */
async function cli(args: readonly string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    fetch: globalThis.fetch,
    env,
    cwd: process.cwd(),
    now: () => Date.now() / 1000,
  };
  const code = await createProgram(io, { version: 'test' }).run(args);
  allReplies.push(stdout);
  return { code, stdout, stderr };
}

describe('jambonz-webhook session', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startWsApp('express', [
      JambonzAuthModule.forRoot({ basicAuth: [TEST_CREDENTIALS, OTHER], namedCredentials: { audio: OTHER } }),
      GatewaysModule,
      SilentModule,
    ]);
  });
  afterAll(() => app.close());

  it('opens a session with the test credentials, sends the sample session:new and prints the ack', async () => {
    const run = await cli(['session', '--url', wsUrl(app, '/ws')]);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stderr).toBe(
      `WS ${wsUrl(app, '/ws')} (ws.jambonz.org, Basic auth, session:new of sample call ${JAMBONZ_SESSION_NEW_SAMPLE.call_sid})\n`,
    );
    const [status, ...ack] = run.stdout.split('\n');
    expect(status).toMatch(/^101 Switching Protocols \(subprotocol ws\.jambonz\.org, handshake \d+ ms\)$/);
    expect(JSON.parse(ack.join('\n'))).toEqual({
      type: 'ack',
      msgid: expect.any(String),
      data: greeting(JAMBONZ_SESSION_NEW_SAMPLE),
    });
  });

  it('takes the credentials from the environment, as send does, and --user/--pass over them', async () => {
    const env = { [ENV.username]: OTHER.username, [ENV.password]: OTHER.password };
    expect((await cli(['session', '--url', wsUrl(app, '/ws')], env)).code).toBe(ExitCode.ok);
    const wrong = await cli(['session', '--url', wsUrl(app, '/ws'), '--pass', 'not it'], env);
    expect(wrong.code).toBe(ExitCode.rejected);
  });

  it('prints a refused upgrade with its status and a hint, and exits 1', async () => {
    const run = await cli(['session', '--url', wsUrl(app, '/ws'), '--pass', 'not it']);
    expect(run).toEqual({
      code: ExitCode.rejected,
      stdout: 'HTTP 401 Unauthorized\nUnauthorized\n',
      stderr: expect.stringContaining(
        `hint: the app refused the credentials (its log says why). Check --user/--pass or $${ENV.username}`,
      ),
    });
  });

  it('gives no hint for a 401 asked for with --no-auth', async () => {
    const run = await cli(['session', '--url', wsUrl(app, '/ws'), '--no-auth']);
    expect([run.code, run.stdout]).toEqual([ExitCode.rejected, 'HTTP 401 Unauthorized\nUnauthorized\n']);
    expect(run.stderr).toContain('no Basic auth');
    expect(run.stderr).not.toContain('hint:');
  });

  it('says a 400 is the subprotocol, as on an audio endpoint', async () => {
    const run = await cli(['session', '--url', wsUrl(app, '/audio'), '--user', OTHER.username, '--pass', OTHER.password]);
    expect([run.code, run.stdout]).toEqual([ExitCode.rejected, 'HTTP 400 Bad Request\nBad Request\n']);
    expect(run.stderr).toContain('hint: the app took the credentials but not the subprotocol ws.jambonz.org');
  });

  it('exits 1 when the ack carries no verbs, which fails the call', async () => {
    const run = await cli(['session', '--url', wsUrl(app, '/silent')]);
    expect(run.code).toBe(ExitCode.rejected);
    expect(JSON.parse(run.stdout.split('\n').slice(1).join('\n'))).toEqual({ type: 'ack', msgid: expect.any(String) });
    expect(run.stderr).toContain('note: the ack carries no verbs: jambonz would fail the call ("no application provided").');
  });

  it('exits 1 when the server selects no subprotocol, as jambonz drops such a connection', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => false });
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const run = await cli(['session', '--url', `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`]);
      expect(run.code).toBe(ExitCode.rejected);
      expect(run.stderr).toContain('error: Server sent no subprotocol: jambonz drops such a connection');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('exits 3 when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const run = await cli(['session', '--url', `ws://127.0.0.1:${port}/ws`]);
    expect(run.code).toBe(ExitCode.unreachable);
    expect(run.stderr).toContain(`error: cannot open ws://127.0.0.1:${port}/ws (ECONNREFUSED). Is the app running?`);
  });

  it.each([
    [['--url', 'http://127.0.0.1:3000/ws'], '"http://127.0.0.1:3000/ws" is not a ws or wss URL.'],
    [['--url', 'ws://u:p@127.0.0.1:3000/ws'], 'the URL holds credentials: give them with --user and --pass instead.'],
    [['extra'], "too many arguments: 'extra' (expected none)"],
  ])('refuses %j as a usage error', async (args, message) => {
    const run = await cli(['session', ...args]);
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toContain(message);
  });

  it('is listed in the help, with its own', async () => {
    expect((await cli(['--help'])).stdout).toMatch(/\n {2}session +Open a WebSocket API session as jambonz does/);
    expect((await cli(['session', '--help'])).stdout).toContain('Exit codes:\n  0  the app acked session:new with verbs');
  });
});
