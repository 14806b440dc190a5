import { jest } from '@jest/globals';
import { Logger, ServiceUnavailableException } from '@nestjs/common';
import { CapturedLogs } from '../test/support/captured-logs.js';
import { nowInSeconds } from './core/index.js';
import { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
import { WELL_KNOWN_JAMBONZ_SECRET } from './jambonz-auth.constants.js';
import {
  assertMaterial,
  createJambonzAuthConfig,
  hasSignatureMaterial,
  validateWebhookOptions,
  type JambonzAuthConfig,
} from './jambonz-auth-options.validator.js';
import type { ReplayStore } from './replay/replay-store.interface.js';

const SECRET = 'wh_secret_validatorSpec0001';
const CREDENTIALS = { username: 'jambonz', password: 'p:ss wörd' };
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
const resolver = () => SECRET;

/** The message of the JambonzAuthConfigError that `run` throws. */
function problem(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(JambonzAuthConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a JambonzAuthConfigError');
}

const config = (options: unknown) => createJambonzAuthConfig(options);

const MODULE_KEYS =
  'secret, secretResolver, secretResolverCacheTtl, basicAuth, require, tolerance, allowOptionsRequests, requireRawBody, ' +
  'maxBodyBytes, realm, clock, allowWellKnownSecret, allowSecretWhitespace, replay';
const WHITESPACE =
  'has leading or trailing whitespace or a line break, usually a copy-paste accident. ' +
  'Remove it, or set allowSecretWhitespace: true if the secret really contains it.';
const CONTROL =
  'contains a control character or a line separator, which RFC 7617 does not allow in Basic credentials. ' +
  'Remove it (a pasted value often ends with a newline) and set the same value on the jambonz application.';

describe('JambonzAuthConfigError', () => {
  it('prefixes the problem with the module name and has its own name', () => {
    const error = new JambonzAuthConfigError('something is wrong.');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('JambonzAuthConfigError');
    expect(error.message).toBe('JambonzAuthModule: something is wrong.');
  });
});

describe('createJambonzAuthConfig', () => {
  describe('fills in every default', () => {
    it('for a secret alone', () => {
      expect(config({ secret: SECRET })).toStrictEqual({
        secrets: [SECRET],
        secretResolver: undefined,
        secretResolverCacheTtl: 0,
        basicAuth: undefined,
        require: undefined,
        tolerance: 300,
        allowOptionsRequests: true,
        requireRawBody: false,
        maxBodyBytes: 1024 * 1024,
        realm: 'jambonz',
        clock: nowInSeconds,
        replay: undefined,
      });
    });

    it('for credentials alone, which it digests into a verifier', () => {
      const { secrets, basicAuth, require } = config({ basicAuth: CREDENTIALS });
      expect(secrets).toEqual([]);
      expect(require).toBeUndefined();
      expect(basicAuth!.verify(basic('jambonz', 'p:ss wörd'))).toBe('jambonz');
      expect(() => basicAuth!.verify(basic('jambonz', 'other'))).toThrow(
        expect.objectContaining({ reason: 'credentials_mismatch' }),
      );
    });

    it('for a resolver alone', () => {
      const { secrets, secretResolver } = config({ secretResolver: resolver });
      expect(secrets).toEqual([]);
      expect(secretResolver).toBe(resolver);
    });
  });

  it('keeps every value it is given', () => {
    const clock = () => 1715000000;
    const result = config({
      secret: [SECRET, `${SECRET}2`],
      basicAuth: [CREDENTIALS, { username: 'old', password: 'old-pass' }],
      require: 'either',
      tolerance: 60,
      allowOptionsRequests: false,
      requireRawBody: true,
      maxBodyBytes: 1,
      realm: 'My realm é',
      clock,
      allowWellKnownSecret: false,
      allowSecretWhitespace: false,
    });
    expect(result).toMatchObject({
      secrets: [SECRET, `${SECRET}2`],
      require: 'either',
      tolerance: 60,
      allowOptionsRequests: false,
      requireRawBody: true,
      maxBodyBytes: 1,
      realm: 'My realm é',
      clock,
    });
    expect(result.basicAuth!.verify(basic('old', 'old-pass'))).toBe('old');
    expect(config({ secretResolver: resolver, secretResolverCacheTtl: 0 }).secretResolverCacheTtl).toBe(0);
    expect(config({ secretResolver: resolver, secretResolverCacheTtl: 2.5 }).secretResolverCacheTtl).toBe(2.5);
  });

  describe('refuses options that are not an object', () => {
    it.each<[string, unknown, string]>([
      ['undefined', undefined, 'undefined'],
      ['null', null, 'null'],
      ['an array', [SECRET], 'an array'],
      ['a number', 42, '42'],
      ['a boolean', true, 'true'],
      ['a short string', 'secret', '"secret"'],
      ['a string of 40 characters, in full', 'x'.repeat(40), `"${'x'.repeat(40)}"`],
      ['a longer string, cut after 40 characters', `${'y'.repeat(40)}z`, `"${'y'.repeat(40)}..."`],
    ])('%s', (_case, options, shown) => {
      expect(problem(() => config(options))).toBe(`JambonzAuthModule: options must be an object (got ${shown}).`);
    });
  });

  it('refuses an unknown key, listing the known ones', () => {
    expect(problem(() => config({ secret: SECRET, secrets: SECRET }))).toBe(
      `JambonzAuthModule: options has an unknown key 'secrets'. Known keys: ${MODULE_KEYS}.`,
    );
  });

  it('refuses a configuration with nothing to authenticate with', () => {
    const message =
      'JambonzAuthModule: nothing to authenticate with. Set secret to the webhook secret from the jambonz portal ' +
      '(e.g. from JAMBONZ_WEBHOOK_SECRET), or basicAuth to the credentials of the application hook, or both.';
    expect(problem(() => config({}))).toBe(message);
    expect(problem(() => config({ tolerance: 60 }))).toBe(message);
  });

  describe('secret', () => {
    const notASecret =
      'JambonzAuthModule: options.secret must be the webhook secret (a string) or a non-empty array of them. ' +
      'Copy it from the jambonz portal (Account > Webhook secret).';
    it.each<[string, unknown]>([
      ['an empty array', []],
      ['a number', 42],
      ['an object', { value: SECRET }],
      ['null', null],
    ])('refuses %s', (_case, secret) => {
      expect(problem(() => config({ secret }))).toBe(notASecret);
    });

    it.each<[string, unknown, string]>([
      ['an empty string', '', 'options.secret'],
      ['an empty string in a list', [SECRET, ''], 'options.secret[1]'],
      ['a number in a list', [42], 'options.secret[0]'],
    ])('refuses %s, naming it', (_case, secret, name) => {
      expect(problem(() => config({ secret }))).toBe(
        `JambonzAuthModule: ${name} is empty or not a string. Set it to the webhook secret from the jambonz portal.`,
      );
    });

    it.each<[string, string]>([
      ['a leading space', ` ${SECRET}`],
      ['a trailing tab', `${SECRET}\t`],
      ['a trailing newline', `${SECRET}\n`],
      ['a line feed inside', `wh_secret_a\nb`],
      ['a carriage return inside', `wh_secret_a\rb`],
    ])('refuses %s unless allowSecretWhitespace', (_case, secret) => {
      expect(problem(() => config({ secret }))).toBe(`JambonzAuthModule: options.secret ${WHITESPACE}`);
      expect(problem(() => config({ secret: [SECRET, secret] }))).toBe(`JambonzAuthModule: options.secret[1] ${WHITESPACE}`);
      expect(config({ secret, allowSecretWhitespace: true }).secrets).toEqual([secret]);
    });

    it('accepts a space inside a secret', () => {
      expect(config({ secret: 'wh_secret_a b' }).secrets).toEqual(['wh_secret_a b']);
    });

    it("refuses jambonz's well-known default secret unless allowWellKnownSecret", () => {
      const message = (name: string) =>
        `JambonzAuthModule: ${name} is the default webhook secret of jambonz's open-source seed database, which everyone knows: ` +
        'requests signed with it prove nothing. Regenerate the secret in the jambonz portal and use the new one ' +
        '(or set allowWellKnownSecret: true for a local test server).';
      expect(problem(() => config({ secret: WELL_KNOWN_JAMBONZ_SECRET }))).toBe(message('options.secret'));
      expect(problem(() => config({ secret: [SECRET, WELL_KNOWN_JAMBONZ_SECRET] }))).toBe(message('options.secret[1]'));
      expect(config({ secret: WELL_KNOWN_JAMBONZ_SECRET, allowWellKnownSecret: true }).secrets).toEqual([
        WELL_KNOWN_JAMBONZ_SECRET,
      ]);
    });

    it.each<[string, unknown, string]>([
      ['allowWellKnownSecret', 'yes', '"yes"'],
      ['allowSecretWhitespace', 1, '1'],
      ['allowOptionsRequests', null, 'null'],
      ['requireRawBody', 'true', '"true"'],
    ])('refuses a non-boolean %s', (key, value, shown) => {
      expect(problem(() => config({ secret: SECRET, [key]: value }))).toBe(
        `JambonzAuthModule: options.${key} must be true or false (got ${shown}).`,
      );
    });
  });

  describe('secretResolver', () => {
    it('refuses one that is not a function', () => {
      expect(problem(() => config({ secretResolver: SECRET }))).toBe(
        'JambonzAuthModule: options.secretResolver must be a function (context) => secret(s).',
      );
    });

    it('refuses it next to a secret', () => {
      expect(problem(() => config({ secret: SECRET, secretResolver: resolver }))).toBe(
        'JambonzAuthModule: set either options.secret or options.secretResolver, not both: the resolver picks the secrets.',
      );
    });

    it.each<[unknown, string]>([
      [-1, '-1'],
      [Number.NaN, 'NaN'],
      ['60', '"60"'],
    ])('refuses a cache TTL of %p', (ttl, shown) => {
      expect(problem(() => config({ secretResolver: resolver, secretResolverCacheTtl: ttl }))).toBe(
        `JambonzAuthModule: options.secretResolverCacheTtl must be a non-negative number of seconds (got ${shown}).`,
      );
    });
  });

  describe('basicAuth', () => {
    it.each<[string, unknown, string]>([
      ['an empty array', [], 'options.basicAuth is an empty array. Set { username, password } of the jambonz application hook.'],
      ['a string', 'jambonz:pass', 'options.basicAuth must be { username, password }.'],
      ['null in a list', [CREDENTIALS, null], 'options.basicAuth[1] must be { username, password }.'],
      ['a missing username', { password: 'x' }, "options.basicAuth.username must be a non-empty string without ':' (RFC 7617)."],
      [
        'an empty username',
        [{ username: '', password: 'x' }],
        "options.basicAuth[0].username must be a non-empty string without ':' (RFC 7617).",
      ],
      [
        'a username with a colon',
        { username: 'a:b', password: 'x' },
        "options.basicAuth.username must be a non-empty string without ':' (RFC 7617).",
      ],
      ['a missing password', { username: 'a' }, 'options.basicAuth.password must be a non-empty string.'],
      [
        'an empty password',
        [CREDENTIALS, { username: 'a', password: '' }],
        'options.basicAuth[1].password must be a non-empty string.',
      ],
      ['a password with a newline', { username: 'a', password: 'pass\n' }, `options.basicAuth ${CONTROL}`],
      ['a username with a DEL', [{ username: 'a\u007f', password: 'x' }], `options.basicAuth[0] ${CONTROL}`],
    ])('refuses %s', (_case, basicAuth, message) => {
      expect(problem(() => config({ basicAuth }))).toBe(`JambonzAuthModule: ${message}`);
    });
  });

  describe('require', () => {
    it('refuses an unknown check, listing the four', () => {
      expect(problem(() => config({ secret: SECRET, require: 'all' }))).toBe(
        "JambonzAuthModule: options.require must be one of 'signature', 'basic', 'either', 'both' (got \"all\").",
      );
    });

    const needsBasic = 'which needs Basic credentials: set basicAuth in JambonzAuthModule.forRoot() or on the route.';
    const needsSecret = 'which needs a webhook secret: set secret (or secretResolver) in JambonzAuthModule.forRoot().';
    it.each<[string, object, string | undefined]>([
      ['signature with a secret', { secret: SECRET, require: 'signature' }, undefined],
      ['signature with a resolver', { secretResolver: resolver, require: 'signature' }, undefined],
      ['signature with credentials only', { basicAuth: CREDENTIALS, require: 'signature' }, `'signature', ${needsSecret}`],
      ['basic with credentials', { basicAuth: CREDENTIALS, require: 'basic' }, undefined],
      ['basic with a secret only', { secret: SECRET, require: 'basic' }, `'basic', ${needsBasic}`],
      ['both with both', { secret: SECRET, basicAuth: CREDENTIALS, require: 'both' }, undefined],
      ['both with a secret only', { secret: SECRET, require: 'both' }, `'both', ${needsBasic}`],
      ['both with credentials only', { basicAuth: CREDENTIALS, require: 'both' }, `'both', ${needsSecret}`],
      ['either with a resolver only', { secretResolver: resolver, require: 'either' }, `'either', ${needsBasic}`],
      ['either with credentials only', { basicAuth: CREDENTIALS, require: 'either' }, `'either', ${needsSecret}`],
    ])('%s', (_case, options, missing) => {
      if (missing === undefined) {
        expect(config(options).require).toBe((options as { require: string }).require);
      } else {
        expect(problem(() => config(options))).toBe(`JambonzAuthModule: options.require is ${missing}`);
      }
    });
  });

  describe('numbers', () => {
    it.each<[string, unknown, string, string]>([
      ['tolerance', 0, '0', 'positive number of seconds'],
      ['tolerance', -5, '-5', 'positive number of seconds'],
      ['tolerance', Number.POSITIVE_INFINITY, 'Infinity', 'positive number of seconds'],
      ['tolerance', '300', '"300"', 'positive number of seconds'],
      ['maxBodyBytes', 0, '0', 'positive whole number of bytes'],
      ['maxBodyBytes', 1.5, '1.5', 'positive whole number of bytes'],
      ['maxBodyBytes', 2 ** 53, String(2 ** 53), 'positive whole number of bytes'],
      ['maxBodyBytes', [], 'an array', 'positive whole number of bytes'],
      ['maxBodyBytes', {}, 'an object', 'positive whole number of bytes'],
    ])('refuses %s = %p', (key, value, shown, expected) => {
      expect(problem(() => config({ secret: SECRET, [key]: value }))).toBe(
        `JambonzAuthModule: options.${key} must be a ${expected} (got ${shown}).`,
      );
    });

    it('accepts the smallest values', () => {
      expect(config({ secret: SECRET, tolerance: 0.5, maxBodyBytes: 1 })).toMatchObject({ tolerance: 0.5, maxBodyBytes: 1 });
    });
  });

  describe('realm, which goes inside a quoted string', () => {
    it.each<[string, unknown]>([
      ['an empty realm', ''],
      ['a double quote', 'a"b'],
      ['a backslash', 'a\\b'],
      ['NUL', 'a\u0000b'],
      ['a newline', 'a\nb'],
      ['U+001F', 'a\u001fb'],
      ['DEL', 'a\u007fb'],
      ['a number', 5],
    ])('refuses %s', (_case, realm) => {
      expect(problem(() => config({ secret: SECRET, realm }))).toBe(
        'JambonzAuthModule: options.realm must be a non-empty string without quotes, backslashes or control characters.',
      );
    });

    it.each([' ', '~', "it's", 'é', 'a b/c'])('accepts %p', (realm) => {
      expect(config({ secret: SECRET, realm }).realm).toBe(realm);
    });
  });

  it('refuses a clock that is not a function', () => {
    expect(problem(() => config({ secret: SECRET, clock: 1715000000 }))).toBe(
      'JambonzAuthModule: options.clock must be a function returning the Unix time in seconds.',
    );
  });

  describe('replay', () => {
    const calls: unknown[][] = [];
    const recording: ReplayStore = {
      claim: (key, _token, leaseMs) => {
        calls.push(['claim', key, leaseMs]);
        return 'claimed';
      },
      consume: (key, ttlMs) => void calls.push(['consume', key, ttlMs]),
      release: (key) => void calls.push(['release', key]),
    };
    const failing: ReplayStore = {
      claim: () => Promise.reject(new Error('store down')),
      consume: () => undefined,
      release: () => undefined,
    };
    beforeEach(() => {
      calls.length = 0;
    });

    /** Claims and consumes one signature through the configuration's replay protection. */
    async function roundTrip(settings: JambonzAuthConfig, tolerance = 300) {
      const request = {};
      await settings.replay!.claim(request, 'abcd', tolerance);
      const claim = settings.replay!.take(request)!;
      await settings.replay!.settle(claim, true);
      return claim;
    }

    it('defaults: a 30 s lease, and remembers for the tolerance plus the 75 s retry window', async () => {
      const claim = await roundTrip(config({ secret: SECRET, replay: { store: recording } }), 120);
      expect(claim).toEqual({ key: 'abcd', token: expect.any(String), ttlMs: 195_000 });
      expect(calls).toEqual([
        ['claim', 'abcd', 30_000],
        ['consume', 'abcd', 195_000],
      ]);
    });

    it('keeps the ttl and lease it is given', async () => {
      await roundTrip(config({ secret: SECRET, replay: { store: recording, ttl: 600, lease: 2.5 } }));
      expect(calls).toEqual([
        ['claim', 'abcd', 2500],
        ['consume', 'abcd', 600_000],
      ]);
    });

    it("fails closed unless onStoreError is 'allow'", async () => {
      const closed = config({ secret: SECRET, replay: { store: failing } });
      const rejecting = config({ secret: SECRET, replay: { store: failing, onStoreError: 'reject' } });
      const open = config({ secret: SECRET, replay: { store: failing, onStoreError: 'allow' } });
      const logs = new CapturedLogs();
      Logger.overrideLogger(logs);
      try {
        await expect(closed.replay!.claim({}, 'abcd', 300)).rejects.toBeInstanceOf(ServiceUnavailableException);
        await expect(rejecting.replay!.claim({}, 'abcd', 300)).rejects.toBeInstanceOf(ServiceUnavailableException);
        await expect(open.replay!.claim({}, 'abcd', 300)).resolves.toBeUndefined();
      } finally {
        Logger.overrideLogger(false);
      }
      const refused = "Replay store failed (store down); refusing the request with 503 (replay.onStoreError is 'reject')";
      expect(logs.entries).toEqual([
        { level: 'error', message: refused, context: 'JambonzReplayProtection' },
        { level: 'error', message: refused, context: 'JambonzReplayProtection' },
        {
          level: 'warn',
          message: "Replay store failed (store down); letting the request through unchecked (replay.onStoreError is 'allow')",
          context: 'JambonzReplayProtection',
        },
      ]);
    });

    it('gives a store 1 s to answer by default, or the timeout it is given', async () => {
      const hanging: ReplayStore = {
        claim: () => new Promise(() => undefined),
        consume: () => undefined,
        release: () => undefined,
      };
      const byDefault = config({ secret: SECRET, replay: { store: hanging, onStoreError: 'allow' } });
      const quick = config({ secret: SECRET, replay: { store: hanging, onStoreError: 'allow', timeout: 0.25 } });
      const logs = new CapturedLogs();
      Logger.overrideLogger(logs);
      jest.useFakeTimers();
      try {
        const slow = byDefault.replay!.claim({}, 'abcd', 300);
        const fast = quick.replay!.claim({}, 'abcd', 300);
        await jest.advanceTimersByTimeAsync(250);
        const unchecked = (seconds: string) =>
          `Replay store failed (no answer within ${seconds} s); letting the request through unchecked (replay.onStoreError is 'allow')`;
        expect(logs.entries.map((entry) => entry.message)).toEqual([unchecked('0.25')]);
        await jest.advanceTimersByTimeAsync(749);
        expect(logs.entries).toHaveLength(1);
        await jest.advanceTimersByTimeAsync(1);
        expect(logs.entries.map((entry) => entry.message)).toEqual([unchecked('0.25'), unchecked('1')]);
        await Promise.all([slow, fast]);
      } finally {
        jest.useRealTimers();
        Logger.overrideLogger(false);
      }
    });

    it.each<[string, unknown, string]>([
      ['not an object', true, 'options.replay must be an object (got true).'],
      [
        'an unknown key',
        { store: recording, size: 5 },
        "options.replay has an unknown key 'size'. Known keys: store, ttl, lease, timeout, onStoreError.",
      ],
      ['no store', {}, 'STORE'],
      ['a store without claim', { store: { consume() {}, release() {} } }, 'STORE'],
      ['a store without consume', { store: { claim() {}, release() {} } }, 'STORE'],
      ['a store without release', { store: { claim() {}, consume() {} } }, 'STORE'],
      [
        'an unknown failure mode',
        { store: recording, onStoreError: 'ignore' },
        `options.replay.onStoreError must be 'reject' or 'allow' (got "ignore").`,
      ],
      ['a zero ttl', { store: recording, ttl: 0 }, 'options.replay.ttl must be a positive number of seconds (got 0).'],
      ['a zero lease', { store: recording, lease: 0 }, 'options.replay.lease must be a positive number of seconds (got 0).'],
      [
        'a negative timeout',
        { store: recording, timeout: -1 },
        'options.replay.timeout must be a positive number of seconds (got -1).',
      ],
    ])('refuses %s', (_case, replay, message) => {
      const expected =
        message === 'STORE'
          ? 'options.replay.store must be a replay store (claim, consume, release): new MemoryReplayStore() for one instance, ' +
            'or new RedisReplayStore(redisClient) for several.'
          : message;
      expect(problem(() => config({ secret: SECRET, replay }))).toBe(`JambonzAuthModule: ${expected}`);
    });
  });
});

describe('validateWebhookOptions', () => {
  const WHERE = '@JambonzWebhook() on CallController.onCall';

  it('takes no options as none, and freezes what it returns', () => {
    for (const options of [undefined, null, {}]) {
      const valid = validateWebhookOptions(options, WHERE);
      expect(valid).toStrictEqual({});
      expect(Object.isFrozen(valid)).toBe(true);
    }
  });

  it('returns exactly the options that were set', () => {
    expect(validateWebhookOptions({ require: 'basic' }, WHERE)).toStrictEqual({ require: 'basic' });
    expect(validateWebhookOptions({ tolerance: 30 }, WHERE)).toStrictEqual({ tolerance: 30 });
    expect(validateWebhookOptions({ allowOptionsRequests: false }, WHERE)).toStrictEqual({ allowOptionsRequests: false });
    expect(validateWebhookOptions({ allowOptionsRequests: true }, WHERE)).toStrictEqual({ allowOptionsRequests: true });
    expect(validateWebhookOptions({ replay: false }, WHERE)).toStrictEqual({ replay: false });
    expect(validateWebhookOptions({ replay: true }, WHERE)).toStrictEqual({ replay: true });
    const basicAuth = [CREDENTIALS];
    expect(validateWebhookOptions({ basicAuth }, WHERE).basicAuth).toBe(basicAuth);
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'basic', 'must be an object (got "basic").'],
    [
      'an unknown key',
      { required: 'basic' },
      "has an unknown key 'required'. Known keys: require, tolerance, basicAuth, allowOptionsRequests, replay.",
    ],
    ['an unknown check', { require: 'any' }, `.require must be one of 'signature', 'basic', 'either', 'both' (got "any").`],
    ['a negative tolerance', { tolerance: -1 }, '.tolerance must be a positive number of seconds (got -1).'],
    [
      'empty credentials',
      { basicAuth: { username: '', password: 'x' } },
      ".basicAuth.username must be a non-empty string without ':' (RFC 7617).",
    ],
    ['a non-boolean allowOptionsRequests', { allowOptionsRequests: 0 }, '.allowOptionsRequests must be true or false (got 0).'],
    ['a non-boolean replay', { replay: 'off' }, '.replay must be true or false (got "off").'],
  ])('refuses %s, naming the route', (_case, options, message) => {
    const separator = message.startsWith('.') ? '' : ' ';
    expect(problem(() => validateWebhookOptions(options, WHERE))).toBe(`JambonzAuthModule: ${WHERE}${separator}${message}`);
  });
});

describe('hasSignatureMaterial', () => {
  it('is true with static secrets or a resolver, false with credentials only', () => {
    expect(hasSignatureMaterial(config({ secret: SECRET }))).toBe(true);
    expect(hasSignatureMaterial(config({ secretResolver: resolver }))).toBe(true);
    expect(hasSignatureMaterial(config({ basicAuth: CREDENTIALS }))).toBe(false);
  });
});

describe('assertMaterial', () => {
  it.each<[string, boolean, boolean, 'secret' | 'basic' | undefined]>([
    ['signature', true, false, undefined],
    ['signature', false, true, 'secret'],
    ['basic', false, true, undefined],
    ['basic', true, false, 'basic'],
    ['either', true, true, undefined],
    ['either', false, true, 'secret'],
    ['either', true, false, 'basic'],
    ['both', true, true, undefined],
    ['both', false, false, 'secret'],
  ])('%s with secret=%p and basic=%p', (check, hasSecret, hasBasic, missing) => {
    const run = () => assertMaterial(check as 'both', hasSecret, hasBasic, 'Route.handler.require');
    if (missing === undefined) {
      expect(run).not.toThrow();
    } else if (missing === 'secret') {
      expect(problem(run)).toBe(
        `JambonzAuthModule: Route.handler.require is '${check}', which needs a webhook secret: set secret (or secretResolver) in JambonzAuthModule.forRoot().`,
      );
    } else {
      expect(problem(run)).toBe(
        `JambonzAuthModule: Route.handler.require is '${check}', which needs Basic credentials: set basicAuth in JambonzAuthModule.forRoot() or on the route.`,
      );
    }
  });
});
