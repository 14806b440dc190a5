import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifySignature } from '../core/index.js';
import { fixture, vectors } from '../../test/support/fixtures.js';
import { basic } from '../../test/support/http.js';
import { JAMBONZ_ENV as ENV, JAMBONZ_SAMPLES as SAMPLES, TEST_CREDENTIALS, TEST_WEBHOOK_SECRET } from '../testing/index.js';
import { DEFAULT_BASE_URL } from './defaults.js';
import { ExitCode } from './exit-code.js';
import type { CliIo } from './io.js';
import { createProgram } from './program.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES_DIR = join(REPO_ROOT, 'test/fixtures/jambonz-webhooks');
/** The CLI's clock in every test: `t` is known exactly. */
const NOW = 1_715_000_000;
const SECRET = 'wh_secret_cliSpecSecret0000001';

/** What the recording server received. */
interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Header names in the order they arrived, lower-cased. */
  readonly order: readonly string[];
  readonly body: Buffer;
}

/** A real HTTP server on loopback that records each request and answers `reply`. */
class Recorder {
  readonly requests: Received[] = [];
  reply: { status: number; contentType?: string; body?: string } = { status: 200, contentType: 'application/json', body: '[]' };
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const order = request.rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase());
      this.requests.push({
        method: request.method!,
        url: request.url!,
        headers: request.headers,
        order,
        body: Buffer.concat(chunks),
      });
      const { status, contentType, body } = this.reply;
      response.writeHead(status, contentType ? { 'content-type': contentType } : {}).end(body);
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/call`;
  }

  /** The one request of the test. */
  get last(): Received {
    expect(this.requests).toHaveLength(1);
    return this.requests[0]!;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `jambonz-webhook <args>` in-process, with an empty environment unless `io` says otherwise. */
async function cli(args: readonly string[], io: Partial<CliIo> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const program = createProgram(
    {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      fetch: globalThis.fetch,
      env: {},
      cwd: REPO_ROOT,
      now: () => NOW + 0.75,
      ...io,
    },
    { version: '1.2.3-test' },
  );
  const code = await program.run(args);
  return { code, stdout, stderr };
}

const bodyOf = (name: string) => JSON.stringify(SAMPLES.find((sample) => sample.name === name)!.payload);

describe('jambonz-webhook send', () => {
  const recorder = new Recorder();
  beforeAll(() => recorder.start());
  afterAll(() => recorder.close());
  beforeEach(() => {
    recorder.requests.length = 0;
    recorder.reply = { status: 200, contentType: 'application/json', body: '[]' };
  });
  const send = (args: readonly string[], io?: Partial<CliIo>) => cli(['send', ...args, '--url', recorder.url], io);

  it.each(SAMPLES.map((sample) => [sample.name, sample] as const))(
    'posts sample %s as jambonz does: compact JSON, signed over the received bytes',
    async (name, sample) => {
      const run = await send([name]);
      expect(run.code).toBe(ExitCode.ok);
      const { method, url, headers, body } = recorder.last;
      expect([method, url]).toEqual(['POST', '/call']);
      expect(body.equals(Buffer.from(JSON.stringify(sample.payload), 'utf8'))).toBe(true);
      expect(headers['content-type']).toBe('application/json');
      expect(headers['user-agent']).toBe('jambonz');
      // The sample app's credentials when none are configured, as it takes them.
      expect(headers.authorization).toBe(basic(TEST_CREDENTIALS.username, TEST_CREDENTIALS.password));
      expect(verifySignature(body, headers['jambonz-signature'], TEST_WEBHOOK_SECRET, { now: NOW })).toMatchObject({
        timestamp: NOW,
      });
    },
  );

  it.each([
    ['a path to a fixture file', join(FIXTURES_DIR, 'call-hook-inbound-unicode-caller.json')],
    ['a path relative to the working directory', 'test/fixtures/jambonz-webhooks/call-hook-inbound-unicode-caller.json'],
    ['a fixture name', 'call-hook-inbound-unicode-caller'],
  ])('sends %s as JSON.stringify of the parsed file, raw UTF-8', async (_what, payload) => {
    const { body: expected } = fixture('call-hook-inbound-unicode-caller');
    // Non-ASCII characters take more than one UTF-8 byte: the fixture has some.
    expect(Buffer.byteLength(expected)).toBeGreaterThan(expected.length);
    expect((await send([payload])).code).toBe(ExitCode.ok);
    expect(recorder.last.body.toString('utf8')).toBe(expected);
    expect(recorder.last.body.equals(Buffer.from(expected, 'utf8'))).toBe(true);
  });

  it.each([
    ['POST with Basic credentials', [], ['jambonz-signature', 'authorization', 'user-agent', 'content-type']],
    ['GET with Basic credentials', ['-X', 'GET'], ['jambonz-signature', 'authorization', 'user-agent']],
    ['an unsigned POST', ['--no-sign'], ['authorization', 'user-agent', 'content-type']],
  ])("sends jambonz's headers in jambonz's order: %s", async (_what, args, expected) => {
    await send(['dial-action', '--user', 'jambonz', '--pass', 'p:ss wörd', ...args]);
    const ours = new Set(['jambonz-signature', 'authorization', 'user-agent', 'content-type']);
    expect(recorder.last.order.filter((name) => ours.has(name))).toEqual(expected);
    expect(recorder.last.headers['user-agent']).toBe('jambonz');
  });

  it.each([
    ['--user and --pass', ['--user', 'jambonz', '--pass', 'p:ss wörd'], {}, basic('jambonz', 'p:ss wörd')],
    ['the environment', [], { [ENV.username]: 'env-user', [ENV.password]: 'env-pass' }, basic('env-user', 'env-pass')],
    [
      '--pass over the environment',
      ['--pass', 'flag-pass'],
      { [ENV.username]: 'env-user', [ENV.password]: 'env-pass' },
      basic('env-user', 'flag-pass'),
    ],
    ['nothing: the test credentials', [], {}, basic('jambonz', 'test-only-password')],
    ['--no-auth', ['--no-auth'], { [ENV.username]: 'env-user', [ENV.password]: 'env-pass' }, undefined],
    [
      "the status hook's variables, for a status hook",
      ['--url', 'STATUS'],
      {
        [ENV.username]: 'env-user',
        [ENV.password]: 'env-pass',
        [ENV.statusUsername]: 'status',
        [ENV.statusPassword]: 'status-pass',
      },
      basic('status', 'status-pass'),
    ],
    ['--user alone', ['--user', 'jambonz'], {}, undefined],
    ['--pass alone', ['--pass', 'secret'], {}, undefined],
    [
      'an empty --user over the environment',
      ['--user', ''],
      { [ENV.username]: 'env-user', [ENV.password]: 'env-pass' },
      undefined,
    ],
  ])('sends Basic credentials from %s only when both are set', async (_what, args, env, expected) => {
    const url = args[1] === 'STATUS' ? ['--url', new URL('/call-status', recorder.url).href] : args;
    const run =
      args[1] === 'STATUS'
        ? await cli(['send', 'call-status-completed', ...url], { env })
        : await send(['call-hook-inbound', ...args], { env });
    expect(run.code).toBe(ExitCode.ok);
    expect(recorder.last.headers.authorization).toBe(expected);
    expect(run.stderr.includes('no Authorization header is sent')).toBe(/alone|empty/.test(_what));
  });

  it.each([
    ['--secret', ['--secret', SECRET], {}],
    ['the environment', [], { [ENV.secret]: SECRET }],
    ["the first of the environment's comma-separated list", [], { [ENV.secret]: ` , ${SECRET} , wh_secret_previous000000` }],
    ['--secret over the environment', ['--secret', SECRET], { [ENV.secret]: 'wh_secret_fromTheEnvironment0' }],
  ])('signs with the secret from %s', async (_what, args, env) => {
    expect((await send(['gather-action-digits', ...args], { env })).code).toBe(ExitCode.ok);
    const { body, headers } = recorder.last;
    expect(verifySignature(body, headers['jambonz-signature'], SECRET, { now: NOW })).toMatchObject({
      timestamp: NOW,
      secretIndex: 0,
    });
  });

  it.each([
    ["--secret ''", ['--secret', '']],
    ['--no-sign', ['--no-sign', '--secret', SECRET]],
  ])('sends no signature with %s', async (_what, args) => {
    const run = await send(['call-hook-inbound', ...args]);
    expect(run.code).toBe(ExitCode.ok);
    expect(recorder.last.headers['jambonz-signature']).toBeUndefined();
    expect(recorder.last.body.toString()).toBe(bodyOf('call-hook-inbound'));
    expect(run.stderr).toContain('unsigned');
  });

  it('sends a GET with no body and no content type, and still a signature over the payload, as jambonz', async () => {
    const run = await send(['call-hook-outbound', '--method', 'get', '--user', 'jambonz', '--pass', 'secret']);
    expect(run.code).toBe(ExitCode.ok);
    const { method, url, headers, body } = recorder.last;
    expect([method, url, body.length]).toEqual(['GET', '/call', 0]);
    expect(headers['content-type']).toBeUndefined();
    expect(headers['content-length']).toBeUndefined();
    expect(headers.authorization).toBe(basic('jambonz', 'secret'));
    expect(
      verifySignature(bodyOf('call-hook-outbound'), headers['jambonz-signature'], TEST_WEBHOOK_SECRET, { now: NOW }),
    ).toMatchObject({ timestamp: NOW, secretIndex: 0 });
  });

  it.each([
    ['--timestamp-offset -400', ['--timestamp-offset', '-400'], NOW - 400],
    ['--timestamp-offset=-400', ['--timestamp-offset=-400'], NOW - 400],
    ['--timestamp-offset 400', ['--timestamp-offset', '400'], NOW + 400],
    ['--timestamp-offset +400', ['--timestamp-offset', '+400'], NOW + 400],
    ['--timestamp-offset 0', ['--timestamp-offset', '0'], NOW],
  ])('signs with t = now + offset: %s', async (_what, args, t) => {
    expect((await cli(['send', ...args, 'call-hook-inbound', '--url', recorder.url])).code).toBe(ExitCode.ok);
    const { body, headers } = recorder.last;
    expect(headers['jambonz-signature']).toMatch(new RegExp(`^t=${t},v1=[0-9a-f]{64}$`));
    expect(verifySignature(body, headers['jambonz-signature'], TEST_WEBHOOK_SECRET, { now: t })).toMatchObject({
      timestamp: t,
      secretIndex: 0,
    });
    expect(() => verifySignature(body, headers['jambonz-signature'], TEST_WEBHOOK_SECRET, { now: t + 301 })).toThrow(
      'timestamp_out_of_tolerance',
    );
  });

  it.each([
    ['--secret -x', ['--secret', '-wh_secret_dashFirst0000']],
    ['--secret=-x', ['--secret=-wh_secret_dashFirst0000']],
  ])('takes the argument after an option as its value even when it starts with a dash: %s', async (_what, args) => {
    expect((await send(['call-hook-inbound', ...args])).code).toBe(ExitCode.ok);
    const { body, headers } = recorder.last;
    expect(verifySignature(body, headers['jambonz-signature'], '-wh_secret_dashFirst0000', { now: NOW })).toMatchObject({
      timestamp: NOW,
    });
  });

  it.each([
    ['-XGET', ['-XGET']],
    ['-X get', ['-X', 'get']],
    ['--method=GET', ['--method=GET']],
  ])('takes the method as %s', async (_what, args) => {
    expect((await send(['call-hook-inbound', ...args])).code).toBe(ExitCode.ok);
    expect([recorder.last.method, recorder.last.body.length]).toEqual(['GET', 0]);
  });

  it('adds --header values in order, and one named like a standard header replaces it', async () => {
    await send(['sms-inbound', '-H', 'X-Trace: one', '--header', 'content-type:  text/plain ', '-H', 'X-Empty:']);
    const { headers, body } = recorder.last;
    expect(headers['x-trace']).toBe('one');
    expect(headers['content-type']).toBe('text/plain');
    expect(headers['x-empty']).toBe('');
    expect(body.toString()).toBe(bodyOf('sms-inbound'));
  });

  it('posts to $JAMBONZ_WEBHOOK_URL when --url is not given', async () => {
    const statusUrl = recorder.url.replace(/\/call$/, '/call-status');
    expect((await cli(['send', 'call-status-completed'], { env: { [ENV.url]: statusUrl } })).code).toBe(ExitCode.ok);
    expect(recorder.last.url).toBe('/call-status');
  });

  it('prints the status line and the JSON response pretty-printed, and what it sent on stderr', async () => {
    recorder.reply = { status: 200, contentType: 'application/json; charset=utf-8', body: '[{"verb":"say","text":"Hi"}]' };
    const run = await send(['call-hook-inbound']);
    expect(run.stdout).toBe('HTTP 200 OK\n[\n  {\n    "verb": "say",\n    "text": "Hi"\n  }\n]\n');
    expect(run.stderr).toBe(
      `POST ${recorder.url} (sample call-hook-inbound, ${Buffer.byteLength(bodyOf('call-hook-inbound'))} bytes, signed t=${NOW}, Basic auth)\n`,
    );
  });

  it.each([
    [200, 'application/json', '[]', ExitCode.ok, undefined],
    [202, 'text/plain', 'queued', ExitCode.ok, undefined],
    [204, undefined, undefined, ExitCode.ok, undefined],
    [
      201,
      'application/json',
      '[]',
      ExitCode.rejected,
      /^note: jambonz counts only 200, 202, 204 as success: it would fail this webhook \(Nest answers 201 to a POST by default/,
    ],
    [
      206,
      'text/plain',
      'part',
      ExitCode.rejected,
      /^note: jambonz counts only 200, 202, 204 as success: it would fail this webhook\.$/,
    ],
    [302, 'text/plain', 'elsewhere', ExitCode.rejected, /^note: .* it would fail this webhook \(jambonz follows no redirect\)/],
    [
      401,
      'application/json',
      '{"statusCode":401}',
      ExitCode.rejected,
      new RegExp(
        `^hint: the app refused the authentication.*--secret or \\$${ENV.secret} .*--user/--pass or \\$${ENV.username}/\\$${ENV.password} `,
      ),
    ],
    [409, 'application/json', '{"statusCode":409}', ExitCode.rejected, /^note: replay protection refused a duplicate/],
    [
      413,
      'application/json',
      '{"statusCode":413}',
      ExitCode.rejected,
      /^hint: the body is larger than the app accepts.*app\.useBodyParser\('json', \{ limit: .*new FastifyAdapter\(\{ bodyLimit/,
    ],
    [404, 'application/json', '{"statusCode":404}', ExitCode.rejected, undefined],
    [500, 'text/html', '<h1>oops</h1>', ExitCode.rejected, undefined],
  ])('answers %i (%s) with exit code %i, and a note only where it helps', async (status, contentType, body, expected, note) => {
    recorder.reply = { status, contentType, body };
    const run = await send(['call-hook-inbound']);
    expect(run.code).toBe(expected);
    expect(run.stdout.split('\n')[0]).toMatch(new RegExp(`^HTTP ${status} \\S`));
    // The first line says what was sent; anything after it explains the status.
    const [sentLine, ...explanation] = run.stderr.trimEnd().split('\n');
    expect(sentLine).toMatch(/^POST /);
    if (note) {
      expect(explanation).toHaveLength(1);
      expect(explanation[0]).toMatch(note);
    } else {
      expect(explanation).toEqual([]);
    }
  });

  it("names the call status hook's own variables in the hint of a 401 on /call-status, and only there", async () => {
    recorder.reply = { status: 401, contentType: 'application/json', body: '{"statusCode":401}' };
    const statusUrl = new URL('/call-status', recorder.url).href;
    const status = await cli(['send', 'call-status-completed', '--url', statusUrl]);
    expect(status.stderr).toContain(`takes $${ENV.statusUsername}/$${ENV.statusPassword}.`);
    expect((await send(['call-hook-inbound'])).stderr).not.toContain(ENV.statusUsername);
  });

  it('exits 3 when nothing listens, naming the URL and suggesting npm start', async () => {
    const closed = new Recorder();
    await closed.start();
    const url = closed.url;
    await closed.close();
    const run = await cli(['send', 'call-hook-inbound', '--url', url]);
    expect(run.code).toBe(ExitCode.unreachable);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`cannot reach ${url} (ECONNREFUSED)`);
    expect(run.stderr).toContain('npm start');
  });

  it.each([
    ...SAMPLES.map((sample): [string, string, string] => [`sample ${sample.name}`, sample.name, sample.route]),
    ['a file', 'test/fixtures/jambonz-webhooks/call-status-busy.json', '/call'],
  ])("defaults to the sample app on 127.0.0.1:3000, %s to the sample app's route for it", async (_what, payload, route) => {
    const requested: string[] = [];
    const fetch = (async (url: URL) => {
      requested.push(url.href);
      return new Response(null, { status: 204 });
    }) as typeof globalThis.fetch;
    expect((await cli(['send', payload], { fetch })).code).toBe(ExitCode.ok);
    expect(requested).toEqual([`${DEFAULT_BASE_URL}${route}`]);
    expect(DEFAULT_BASE_URL).toBe('http://127.0.0.1:3000');
  });
});

describe('jambonz-webhook sign', () => {
  it('prints a header that verifies over the body that --body prints, from two separate runs', async () => {
    const header = await cli(['sign', 'llm-tool-call', '--secret', SECRET]);
    const body = await cli(['sign', 'llm-tool-call', '--body']);
    expect([header.code, body.code]).toEqual([ExitCode.ok, ExitCode.ok]);
    // Exactly the signed bytes, with no trailing newline: `--body > file` then `curl --data-binary @file` must verify.
    expect(body.stdout).toBe(bodyOf('llm-tool-call'));
    expect(verifySignature(body.stdout, header.stdout.trimEnd(), SECRET, { now: NOW })).toMatchObject({
      timestamp: NOW,
    });
  });

  it.each(vectors.vectors.map((vector) => [vector.file, vector] as const))(
    "reproduces jambonz's header for fixture %s",
    async (file, vector) => {
      const run = await cli([
        'sign',
        join(FIXTURES_DIR, file),
        '--secret',
        vectors.secret,
        '--timestamp',
        String(vectors.timestamp),
      ]);
      expect(run.stdout).toBe(`${vector.header}\n`);
    },
  );

  it.each([
    ['with the test credentials', [], basic('jambonz', 'test-only-password')],
    ['with --user and --pass', ['--user', 'jambonz', '--pass', "it's"], basic('jambonz', "it's")],
  ])(
    'prints with --curl a command line that sh runs with the exact body and headers (%s)',
    async (_what, args, authorization) => {
      const run = await cli(['sign', 'gather-action-speech', '--curl', '--url', 'http://127.0.0.1:9/action/gather', ...args]);
      expect(bodyOf('gather-action-speech')).toContain("'");
      // A shell function named curl prints each argument it gets, NUL-terminated: what sh parsed.
      const argv = execFileSync('sh', ['-c', `curl() { printf '%s\\0' "$@"; }\n${run.stdout}`])
        .toString()
        .split('\0')
        .slice(0, -1);
      const headers = argv.flatMap((arg, i) => (argv[i - 1] === '-H' ? [arg] : []));
      expect(argv.slice(0, 5)).toEqual(['-sS', '-i', '-X', 'POST', 'http://127.0.0.1:9/action/gather']);
      expect(argv.slice(-2)).toEqual(['--data-binary', bodyOf('gather-action-speech')]);
      const signature = headers.find((h) => h.startsWith('Jambonz-Signature: '))!.slice('Jambonz-Signature: '.length);
      expect(verifySignature(bodyOf('gather-action-speech'), signature, TEST_WEBHOOK_SECRET, { now: NOW })).toMatchObject({
        timestamp: NOW,
        secretIndex: 0,
      });
      expect(headers).toContain('Content-Type: application/json');
      expect(headers.find((h) => h.startsWith('Authorization: '))).toBe(authorization && `Authorization: ${authorization}`);
    },
  );
});

describe('jambonz-webhook samples', () => {
  it('lists every built-in sample with its description', async () => {
    const run = await cli(['samples']);
    expect(run.code).toBe(ExitCode.ok);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(SAMPLES.length);
    SAMPLES.forEach((sample, i) =>
      expect(lines[i]).toMatch(new RegExp(`^${sample.name} +${sample.description.replace(/[()]/g, '\\$&')} `)),
    );
  });
});

describe('the command line', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jambonz-webhook-'));
    writeFileSync(join(dir, 'broken.json'), '{"call_sid": ');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['--version', ['--version'], ['1.2.3-test\n']],
    ['-V', ['-V'], ['1.2.3-test\n']],
    [
      '--help',
      ['--help'],
      ['Usage: jambonz-webhook <command> [options]', '  send <payload>', '  sign <payload>', '  samples', '  -V, --version'],
    ],
    ['-h', ['-h'], ['Usage: jambonz-webhook <command> [options]']],
    ['help', ['help'], ['Usage: jambonz-webhook <command> [options]']],
    ['help --help', ['help', '--help'], ['Usage: jambonz-webhook <command> [options]']],
    [
      'send --help',
      ['send', '--help'],
      [
        'Usage: jambonz-webhook send [options] <payload>',
        '<payload>',
        '    --url <url>',
        '    --no-sign',
        '-X, --method <method>',
        '    --timestamp-offset <seconds>',
        '-H, --header <header>',
        '-h, --help',
        'Exit codes:',
        '--timestamp-offset -400',
      ],
    ],
    ['send -h, after other arguments and a mistake', ['send', 'nowhere', '--sekret', '-h'], ['Usage: jambonz-webhook send']],
    ['help send', ['help', 'send'], ['Usage: jambonz-webhook send [options] <payload>', 'Exit codes:']],
    ['sign --help', ['sign', '--help'], ['Usage: jambonz-webhook sign [options] <payload>', '--curl', '--timestamp <seconds>']],
    ['samples --help', ['samples', '--help'], ['Usage: jambonz-webhook samples [options]\n']],
  ])('%s prints on stdout and exits 0', async (_what, args, expected) => {
    const run = await cli(args);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    for (const text of expected) expect(run.stdout).toContain(text);
  });

  it('writes help that fits 80 columns, never showing a secret from the environment', async () => {
    const env = { [ENV.secret]: SECRET, [ENV.password]: 'p:ss wörd' };
    for (const args of [['--help'], ['send', '--help'], ['sign', '--help'], ['samples', '--help']]) {
      const run = await cli(args, { env });
      for (const line of run.stdout
        .split('\n')
        .filter((l) => !l.startsWith('  jambonz-webhook') && !l.startsWith('  curl') && !l.startsWith('       --data'))) {
        expect(line.length).toBeLessThanOrEqual(80);
      }
      expect(run.stdout).not.toContain(SECRET);
      expect(run.stdout).not.toContain('p:ss wörd');
    }
  });

  it('prints the help on stderr and exits 2 without a command', async () => {
    const run = await cli([]);
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: jambonz-webhook <command> [options]');
  });

  it('refuses an unknown payload with exit code 2 and the list of samples', async () => {
    const run = await cli(['send', 'call-hook-nowhere']);
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toContain('"call-hook-nowhere" is neither a built-in sample nor a JSON file');
    for (const sample of SAMPLES) expect(run.stderr).toContain(sample.name);
    expect(run.stderr.split('\n')).toHaveLength(3);
  });

  it.each([
    ['a file that is not JSON', () => ['send', join(dir, 'broken.json')], 'is not valid JSON'],
    ['a directory', () => ['send', dir], 'neither a built-in sample nor a JSON file'],
    ['an unknown method', () => ['send', 'call-hook-inbound', '-X', 'PUT'], 'POST or GET'],
    ['a URL that is not http', () => ['send', 'call-hook-inbound', '--url', 'ftp://127.0.0.1/call'], 'not an http or https URL'],
    ['a relative URL', () => ['send', 'call-hook-inbound', '--url', '/call'], 'not an absolute URL'],
    ['an offset that is not a number', () => ['send', 'call-hook-inbound', '--timestamp-offset', 'soon'], 'not a whole number'],
    [
      'an offset before 1970',
      () => ['send', 'call-hook-inbound', '--timestamp-offset', String(-NOW - 1)],
      'outside 0 to 9999999999',
    ],
    ['a header without a colon', () => ['send', 'call-hook-inbound', '-H', 'X-Trace one'], 'is not a header'],
    [
      'a header value with a line break',
      () => ['send', 'call-hook-inbound', '-H', 'X-Trace: a\r\nX-Evil: b'],
      'a NUL or a line break',
    ],
    [
      'a URL holding credentials',
      () => ['send', 'call-hook-inbound', '--url', 'http://user:hunter2@127.0.0.1/call'],
      'give them with --user and --pass',
    ],
    ['a path under a file (ENOTDIR)', () => ['send', join(dir, 'broken.json', 'x')], 'neither a built-in sample nor a JSON file'],
    ['a timestamp of 11 digits', () => ['sign', 'call-hook-inbound', '--timestamp', '10000000000'], 'whole Unix seconds'],
    ['an empty secret to sign with', () => ['sign', 'call-hook-inbound', '--secret', ''], 'sign needs a secret'],
    ['a negative timestamp', () => ['sign', 'call-hook-inbound', '--timestamp', '-5'], 'whole Unix seconds'],
    ['--body with --curl', () => ['sign', 'call-hook-inbound', '--body', '--curl'], 'cannot be used with'],
    ['a missing payload', () => ['send'], "missing required argument 'payload'"],
    [
      'an unknown option',
      () => ['send', 'call-hook-inbound', '--sekret', 'x'],
      "unknown option '--sekret' (did you mean --secret?)",
    ],
    ['an unknown short option', () => ['send', 'call-hook-inbound', '-x', 'GET'], "unknown option '-x' (did you mean -X?)"],
    ['an option far from any', () => ['send', 'call-hook-inbound', '--verbose'], "unknown option '--verbose'\n"],
    ['an option of another command', () => ['send', 'call-hook-inbound', '--curl'], "unknown option '--curl'"],
    ['an option without its value', () => ['send', 'call-hook-inbound', '--url'], "option '--url <url>' needs a value"],
    ['a value given to a flag', () => ['send', 'call-hook-inbound', '--no-sign=yes'], "option '--no-sign' takes no value"],
    [
      'two payloads',
      () => ['send', 'call-hook-inbound', 'sms-inbound'],
      "too many arguments: 'sms-inbound' (expected <payload>)",
    ],
    ['an argument to samples', () => ['samples', 'all'], "too many arguments: 'all' (expected none)"],
    ['an unknown command', () => ['trigger', 'call-hook-inbound'], "unknown command 'trigger'"],
    ['a misspelt command', () => ['sned', 'call-hook-inbound'], "unknown command 'sned' (did you mean send?)"],
    ['an unknown program option', () => ['--verison'], "unknown option '--verison' (did you mean --version?)"],
    ['help on an unknown command', () => ['help', 'trigger'], "unknown command 'trigger'"],
    [
      'a secret variable holding only commas',
      () => ['send', 'call-hook-inbound', '--url', 'http://127.0.0.1:9/call'],
      `$${ENV.secret} is set but holds no secret`,
      { [ENV.secret]: ' , ' },
    ],
  ])(
    'refuses %s with exit code 2, one line of error and where to read the help',
    async (_what, args, message, env: Record<string, string> = {}) => {
      const requested: unknown[] = [];
      const run = await cli(args(), {
        env,
        fetch: (async (...call: unknown[]) => requested.push(call)) as unknown as typeof fetch,
      });
      expect(run.code).toBe(ExitCode.usage);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(message);
      const command = ['send', 'sign', 'samples'].includes(args()[0]!) ? ` ${args()[0]}` : '';
      expect(run.stderr).toMatch(new RegExp(`^error: [^\\n]+\\nRun 'jambonz-webhook${command} --help' for usage\\.\\n$`));
      expect(requested).toEqual([]);
    },
  );

  it('refuses an invalid $JAMBONZ_WEBHOOK_URL with exit code 2, naming the variable', async () => {
    const run = await cli(['send', 'call-hook-inbound'], { env: { [ENV.url]: 'localhost:3000/call' } });
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toContain(`$${ENV.url}`);
  });

  it('keeps the bin entry runnable: main.ts starts with a shebang', () => {
    expect(readFileSync(new URL('./main.ts', import.meta.url), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});

describe('jambonz-webhook send, on a request meant to be refused', () => {
  it.each([['--no-sign'], ['--no-auth'], ['--timestamp-offset', '-400']])('prints no 401 hint for %s', async (...flags) => {
    let stderr = '';
    const server = createServer((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/call`;
      const code = await createProgram(
        {
          stdout: () => undefined,
          stderr: (text) => (stderr += text),
          fetch: globalThis.fetch,
          env: {},
          cwd: process.cwd(),
          now: () => NOW,
        },
        { version: 'test' },
      ).run(['send', 'call-hook-inbound', '--url', url, ...flags]);
      expect(code).toBe(ExitCode.rejected);
      expect(stderr).not.toContain('hint');
    } finally {
      server.close();
    }
  });
});
