import { jest } from '@jest/globals';
import { CapturedLogs } from '../test/support/captured-logs.js';
import { JambonzAuthError, type JambonzAuthReason } from './core/index.js';
import { WELL_KNOWN_JAMBONZ_SECRET } from './core/webhook-secret.js';
import type { JambonzSecretResolver, JambonzSecretResolverContext } from './jambonz-auth-options.interface.js';
import type { WebhookRequest } from './webhook-request.interface.js';
import {
  accountSidOf,
  CACHED_ACCOUNTS,
  WebhookSecretsResolver,
  type SecretResolverSettings,
} from './webhook-secrets.resolver.js';

const SECRET = 'wh_secret_resolverSpec00001';
const OTHER = 'wh_secret_resolverSpec00002';
const SID = 'ACCOUNT-SID-0001';
const ANOTHER_SID = 'ACCOUNT-SID-0002';
const HOUR_MS = 60 * 60 * 1000;

const request = (body: unknown): WebhookRequest => ({ headers: {}, body });
const withSid = (sid: string = SID) => request({ account_sid: sid, call_sid: 'c' });

/** A resolver that answers from `answers` in turn (the last one over and over) and remembers what it was asked. */
function scripted(...answers: Array<() => unknown>) {
  const asked: JambonzSecretResolverContext[] = [];
  const resolver = ((context: JambonzSecretResolverContext) => {
    asked.push(context);
    return answers[Math.min(asked.length, answers.length) - 1]!();
  }) as JambonzSecretResolver;
  return { resolver, asked };
}

function resolverFor(resolver: JambonzSecretResolver, settings: Partial<SecretResolverSettings> = {}) {
  const logger = new CapturedLogs();
  const secrets = new WebhookSecretsResolver(resolver, { cacheTtl: 0, timeout: 5, rules: {}, ...settings }, logger);
  return { secrets, logger };
}

/** The reason `promise` is refused with, after checking it is a JambonzAuthError. */
async function refusal(promise: Promise<unknown>): Promise<JambonzAuthReason> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JambonzAuthError);
  return (error as JambonzAuthError).reason;
}

const UNUSABLE = (account: string, what: string) => ({
  level: 'error',
  message:
    `The secret resolver answered, for ${account}, a secret that ${what}; ` +
    "that account's webhooks are refused until the resolver answers a usable secret.",
});
const NOT_SECRETS = (account: string) => ({
  level: 'error',
  message: `The secret resolver answered, for ${account}, something other than a secret, an array of secrets or undefined.`,
});
const UNREADABLE = (account: string, why: string) => ({
  level: 'error',
  message: `The secret resolver answered, for ${account}, an answer that cannot be read (${why}).`,
});
/** How the resolver is refused for an answer it cannot use (the detail is for the log, never a secret). */
const UNUSABLE_ANSWER = new JambonzAuthError('secret_resolver_failed', 'an unusable answer');

describe('accountSidOf', () => {
  it.each<[string, unknown, string | undefined]>([
    ['a body with a sid', { account_sid: SID }, SID],
    ['an empty sid', { account_sid: '' }, undefined],
    ['a numeric sid', { account_sid: 42 }, undefined],
    ['a body without one', { call_sid: 'x' }, undefined],
    ['null', null, undefined],
    ['a string body', `{"account_sid":"${SID}"}`, undefined],
    ['no body', undefined, undefined],
  ])('%s', (_case, body, sid) => {
    expect(accountSidOf(body)).toBe(sid);
  });
});

describe('WebhookSecretsResolver', () => {
  it('asks the resolver with the account sid, the unverified body and the request', async () => {
    const { resolver, asked } = scripted(() => SECRET);
    const { secrets, logger } = resolverFor(resolver);
    const first = withSid();
    const second = request({ call_sid: 'c' });
    await expect(secrets.forRequest(first)).resolves.toEqual([SECRET]);
    await expect(secrets.forRequest(second)).resolves.toEqual([SECRET]);
    expect(asked).toEqual([
      { accountSid: SID, body: first.body, request: first },
      { accountSid: undefined, body: second.body, request: second },
    ]);
    expect(asked[0]!.request).toBe(first);
    expect(asked[0]!.body).toBe(first.body);
    expect(logger.entries).toEqual([]);
  });

  it('picks by the body it is given over request.body, and hands the resolver that body', async () => {
    const { resolver, asked } = scripted(() => SECRET);
    const { secrets } = resolverFor(resolver, { cacheTtl: 60 });
    const streamed = request(undefined);
    const parsed = { account_sid: ANOTHER_SID, call_sid: 'c' };
    await expect(secrets.forRequest(streamed, parsed)).resolves.toEqual([SECRET]);
    const parsedByTheApp = withSid();
    await expect(secrets.forRequest(parsedByTheApp, { call_sid: 'c' })).resolves.toEqual([SECRET]);
    expect(asked).toEqual([
      { accountSid: ANOTHER_SID, body: parsed, request: streamed },
      { accountSid: undefined, body: { call_sid: 'c' }, request: parsedByTheApp },
    ]);
    expect(asked[0]!.body).toBe(parsed);
    // Cached under the account of the body it was given.
    await expect(secrets.forRequest(request(undefined), { account_sid: ANOTHER_SID })).resolves.toEqual([SECRET]);
    expect(asked).toHaveLength(2);
  });

  it.each<[string, unknown, readonly string[]]>([
    ['one secret', SECRET, [SECRET]],
    ['several secrets', [SECRET, OTHER], [SECRET, OTHER]],
    ['a promise of one', Promise.resolve(OTHER), [OTHER]],
    ['a promise of several', Promise.resolve([OTHER, SECRET]), [OTHER, SECRET]],
  ])('accepts %s', async (_case, answer, expected) => {
    const { secrets, logger } = resolverFor(() => answer as string);
    await expect(secrets.forRequest(withSid())).resolves.toEqual(expected);
    expect(logger.entries).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['an empty array', []],
    ['a promise of undefined', Promise.resolve(undefined)],
  ])('refuses with no_secret when the resolver answers %s, logging nothing', async (_case, answer) => {
    const { secrets, logger } = resolverFor(() => answer as undefined);
    expect(await refusal(secrets.forRequest(withSid()))).toBe('no_secret');
    expect(logger.entries).toEqual([]);
  });

  describe('holds its answers to the rules of a configured secret', () => {
    it.each<[string, unknown, string]>([
      ['an empty string', '', 'is empty'],
      ['an empty string among secrets', [SECRET, ''], 'is empty'],
      ['a number among secrets', [SECRET, 42], 'is not a string'],
      [
        "'undefined'",
        'undefined',
        "is 'undefined', 'null', an unexpanded variable reference or the like, what an unset variable becomes in a template string or a .env file",
      ],
      ['only spaces', '   ', 'holds only whitespace or invisible characters'],
      [
        'a secret with a trailing newline',
        `${SECRET}\n`,
        'has leading or trailing whitespace, an invisible character or a line break, usually a copy-paste accident',
      ],
      [
        "jambonz's well-known secret",
        WELL_KNOWN_JAMBONZ_SECRET,
        "is the default webhook secret of jambonz's open-source seed database, which everyone knows: requests signed with it prove nothing",
      ],
    ])('refuses %s with secret_resolver_failed, logging what is wrong without the value', async (_case, answer, what) => {
      const { secrets, logger } = resolverFor(() => answer as string);
      const error = await secrets.forRequest(withSid()).catch((e: unknown) => e);
      expect(error).toEqual(UNUSABLE_ANSWER);
      expect(error).toMatchObject({ reason: 'secret_resolver_failed', message: 'secret_resolver_failed: an unusable answer' });
      expect(logger.entries).toEqual([UNUSABLE(`account ${SID}`, what)]);
    });

    it('accepts what the allowances allow', async () => {
      const lenient = { allowSecretWhitespace: true, allowWellKnownSecret: true };
      await expect(resolverFor(() => `${SECRET}\n`, { rules: lenient }).secrets.forRequest(withSid())).resolves.toEqual([
        `${SECRET}\n`,
      ]);
      await expect(
        resolverFor(() => WELL_KNOWN_JAMBONZ_SECRET, { rules: lenient }).secrets.forRequest(withSid()),
      ).resolves.toEqual([WELL_KNOWN_JAMBONZ_SECRET]);
    });

    it.each<[string, unknown]>([
      ['a number', 42],
      ['an object', { secret: SECRET }],
      ['true', true],
      ['a string object', Object('wh_secret_boxed')],
    ])('refuses %s with secret_resolver_failed, and says it is not secrets', async (_case, answer) => {
      const { secrets, logger } = resolverFor(() => answer as string);
      expect(await secrets.forRequest(withSid()).catch((e: unknown) => e)).toEqual(UNUSABLE_ANSWER);
      expect(logger.entries).toEqual([NOT_SECRETS(`account ${SID}`)]);
    });

    it('refuses a hole in a list of secrets as a value that is not a string', async () => {
      const holey = Object.assign(new Array<string>(3), { 0: SECRET, 2: OTHER });
      const { secrets, logger } = resolverFor(() => holey);
      expect(await secrets.forRequest(withSid()).catch((e: unknown) => e)).toEqual(UNUSABLE_ANSWER);
      expect(logger.entries).toEqual([UNUSABLE(`account ${SID}`, 'is not a string')]);
    });

    it('keeps a copy of the answer: what the resolver does with its array afterwards changes nothing', async () => {
      const answer = [SECRET, OTHER];
      const { resolver, asked } = scripted(() => answer);
      const { secrets } = resolverFor(resolver, { cacheTtl: 60 });
      const first = await secrets.forRequest(withSid());
      expect(first).not.toBe(answer);
      answer.length = 0;
      answer.push('');
      expect(first).toEqual([SECRET, OTHER]);
      await expect(secrets.forRequest(withSid())).resolves.toEqual([SECRET, OTHER]);
      expect(asked).toHaveLength(1);
    });

    describe('refuses an answer that cannot be read, logging what went wrong once per account', () => {
      it('a Proxy whose trap throws', async () => {
        const trapped = new Proxy([SECRET], {
          get: (target, key, receiver) => {
            if (key === 'length') throw new Error('trap\nforged line');
            return Reflect.get(target, key, receiver) as unknown;
          },
        });
        const { secrets, logger } = resolverFor(() => trapped);
        expect(await secrets.forRequest(withSid()).catch((e: unknown) => e)).toEqual(UNUSABLE_ANSWER);
        expect(await refusal(secrets.forRequest(withSid()))).toBe('secret_resolver_failed');
        expect(logger.entries).toEqual([UNREADABLE(`account ${SID}`, 'trap\\u000aforged line')]);
      });

      it('an array whose element is a getter that throws', async () => {
        const answer = Object.defineProperty([SECRET, OTHER], 1, {
          get: () => {
            throw new TypeError('no secret here');
          },
        });
        const { secrets, logger } = resolverFor(() => answer);
        expect(await secrets.forRequest(withSid()).catch((e: unknown) => e)).toEqual(UNUSABLE_ANSWER);
        expect(logger.entries).toEqual([UNREADABLE(`account ${SID}`, 'TypeError: no secret here')]);
      });
    });

    it('refuses a bad answer before seeing that the list is otherwise usable, and never caches it', async () => {
      const { resolver, asked } = scripted(
        () => [''],
        () => SECRET,
      );
      const { secrets } = resolverFor(resolver, { cacheTtl: 60 });
      expect(await refusal(secrets.forRequest(withSid()))).toBe('secret_resolver_failed');
      await expect(secrets.forRequest(withSid())).resolves.toEqual([SECRET]);
      expect(asked).toHaveLength(2);
    });

    it('logs a bad answer once per account, then again after an hour', async () => {
      jest.useFakeTimers({ now: 1_715_000_000_000 });
      try {
        const { secrets, logger } = resolverFor(() => '');
        const refuse = async (body: unknown) =>
          expect(await refusal(secrets.forRequest(request(body)))).toBe('secret_resolver_failed');
        await refuse({ account_sid: SID });
        await refuse({ account_sid: SID });
        await refuse({ account_sid: ANOTHER_SID });
        await refuse({});
        await refuse({ account_sid: '' });
        expect(logger.entries).toEqual([
          UNUSABLE(`account ${SID}`, 'is empty'),
          UNUSABLE(`account ${ANOTHER_SID}`, 'is empty'),
          UNUSABLE('no account_sid', 'is empty'),
        ]);
        jest.advanceTimersByTime(HOUR_MS - 1);
        await refuse({ account_sid: SID });
        expect(logger.entries).toHaveLength(3);
        jest.advanceTimersByTime(1);
        await refuse({ account_sid: SID });
        expect(logger.entries).toHaveLength(4);
        expect(logger.entries[3]).toEqual(UNUSABLE(`account ${SID}`, 'is empty'));
      } finally {
        jest.useRealTimers();
      }
    });

    it('logs an answer that is not secrets once per account too', async () => {
      const { secrets, logger } = resolverFor(() => 42 as unknown as string);
      await refusal(secrets.forRequest(withSid()));
      await refusal(secrets.forRequest(withSid()));
      await refusal(secrets.forRequest(request({})));
      expect(logger.entries).toEqual([NOT_SECRETS(`account ${SID}`), NOT_SECRETS('no account_sid')]);
    });

    it('neutralises the account sid in its log lines, since the sender chose it', async () => {
      const forged = 'AC\r\nerror [JambonzAuthGuard] forged\u001b[2J';
      const { secrets, logger } = resolverFor(() => '');
      await refusal(secrets.forRequest(request({ account_sid: forged })));
      expect(logger.entries).toEqual([UNUSABLE('account AC\\u000d\\u000aerror [JambonzAuthGuard] forged\\u001b[2J', 'is empty')]);
    });
  });

  describe('a resolver that fails', () => {
    it.each<[string, () => unknown, string]>([
      [
        'throws an Error',
        () => {
          throw new Error('database unreachable');
        },
        'database unreachable',
      ],
      ['rejects', () => Promise.reject(new Error('timeout')), 'timeout'],
      [
        'throws something else',
        () => {
          throw 'plain text';
        },
        'plain text',
      ],
      ['rejects with an error message holding a line break', () => Promise.reject(new Error('bad\nline')), 'bad\\u000aline'],
      [
        'throws a TypeError',
        () => {
          throw new TypeError('cannot read sid');
        },
        'TypeError: cannot read sid',
      ],
      [
        'throws an object whose toString throws',
        () => {
          throw {
            toString() {
              throw new Error('no');
            },
          };
        },
        '[object Object]',
      ],
    ])('refuses with secret_resolver_failed when it %s, and logs why once per account', async (_case, answer, why) => {
      const { secrets, logger } = resolverFor(answer as JambonzSecretResolver);
      const error = await secrets.forRequest(withSid()).catch((e: unknown) => e);
      expect(error).toEqual(new JambonzAuthError('secret_resolver_failed'));
      expect(error).toMatchObject({ message: 'secret_resolver_failed' });
      expect(await refusal(secrets.forRequest(withSid()))).toBe('secret_resolver_failed');
      expect(await refusal(secrets.forRequest(request({ call_sid: 'c' })))).toBe('secret_resolver_failed');
      expect(await refusal(secrets.forRequest(request({ call_sid: 'c' })))).toBe('secret_resolver_failed');
      expect(logger.entries).toEqual([
        { level: 'error', message: `The secret resolver failed for account ${SID}: ${why}` },
        { level: 'error', message: `The secret resolver failed for no account_sid: ${why}` },
      ]);
    });

    // Forged requests reach the resolver too: a failing resolver must not let them flood the log.
    it('logs its failure again for an account only after an hour, and counts a bad answer as the same report', async () => {
      jest.useFakeTimers({ now: 1_715_000_000_000 });
      try {
        const { resolver } = scripted(
          () => Promise.reject(new Error('database unreachable')),
          () => Promise.reject(new Error('database unreachable')),
          () => '',
          () => Promise.reject(new Error('still unreachable')),
        );
        const { secrets, logger } = resolverFor(resolver);
        await refusal(secrets.forRequest(withSid()));
        await refusal(secrets.forRequest(withSid()));
        jest.advanceTimersByTime(HOUR_MS - 1);
        await refusal(secrets.forRequest(withSid()));
        expect(logger.entries).toEqual([
          { level: 'error', message: `The secret resolver failed for account ${SID}: database unreachable` },
        ]);
        jest.advanceTimersByTime(1);
        await refusal(secrets.forRequest(withSid()));
        expect(logger.entries).toEqual([
          { level: 'error', message: `The secret resolver failed for account ${SID}: database unreachable` },
          { level: 'error', message: `The secret resolver failed for account ${SID}: still unreachable` },
        ]);
      } finally {
        jest.useRealTimers();
      }
    });

    it('refuses with secret_resolver_failed an answer that cannot even be awaited (a revoked Proxy), as a failure', async () => {
      const { proxy, revoke } = Proxy.revocable([SECRET], {});
      revoke();
      // Awaiting the answer reads its `then`, which a revoked Proxy refuses: V8's words, whatever they are.
      const why = (() => {
        try {
          return String((proxy as { then?: unknown }).then);
        } catch (error) {
          return `TypeError: ${(error as Error).message}`;
        }
      })();
      expect(why).toMatch(/^TypeError: /);
      const { secrets, logger } = resolverFor(() => proxy);
      expect(await secrets.forRequest(request({})).catch((e: unknown) => e)).toEqual(
        new JambonzAuthError('secret_resolver_failed'),
      );
      expect(logger.entries).toEqual([{ level: 'error', message: `The secret resolver failed for no account_sid: ${why}` }]);
    });

    it('gives up after the timeout, refusing with secret_resolver_failed', async () => {
      jest.useFakeTimers();
      try {
        const { secrets, logger } = resolverFor(() => new Promise<string>(() => undefined), { timeout: 2 });
        const outcome = refusal(secrets.forRequest(withSid()));
        await jest.advanceTimersByTimeAsync(1999);
        expect(logger.entries).toEqual([]);
        await jest.advanceTimersByTimeAsync(1);
        expect(await outcome).toBe('secret_resolver_failed');
        const timedOut = {
          level: 'error',
          message: `The secret resolver failed for account ${SID}: no answer within 2 s (secretResolverTimeout)`,
        };
        expect(logger.entries).toEqual([timedOut]);
        expect(jest.getTimerCount()).toBe(0);
        const again = refusal(secrets.forRequest(withSid()));
        await jest.advanceTimersByTimeAsync(2000);
        expect(await again).toBe('secret_resolver_failed');
        expect(logger.entries).toEqual([timedOut]);
      } finally {
        jest.useRealTimers();
      }
    });
  });

  describe('caching', () => {
    beforeEach(() => jest.useFakeTimers({ now: 1_715_000_000_000 }));
    afterEach(() => jest.useRealTimers());

    it('does not cache with a TTL of 0', async () => {
      const { resolver, asked } = scripted(
        () => SECRET,
        () => OTHER,
      );
      const { secrets } = resolverFor(resolver, { cacheTtl: 0 });
      await expect(secrets.forRequest(withSid())).resolves.toEqual([SECRET]);
      await expect(secrets.forRequest(withSid())).resolves.toEqual([OTHER]);
      expect(asked).toHaveLength(2);
    });

    it('reuses an answer per account sid for the TTL in seconds, then asks again', async () => {
      const { resolver, asked } = scripted(
        () => SECRET,
        () => OTHER,
        () => [OTHER, SECRET],
      );
      const { secrets } = resolverFor(resolver, { cacheTtl: 1.5 });
      const first = await secrets.forRequest(withSid());
      expect(first).toEqual([SECRET]);
      jest.advanceTimersByTime(1499);
      expect(await secrets.forRequest(request({ account_sid: SID, other: 1 }))).toBe(first);
      await expect(secrets.forRequest(withSid(ANOTHER_SID))).resolves.toEqual([OTHER]);
      expect(asked.map((context) => context.accountSid)).toEqual([SID, ANOTHER_SID]);
      jest.advanceTimersByTime(1);
      await expect(secrets.forRequest(withSid())).resolves.toEqual([OTHER, SECRET]);
      expect(asked).toHaveLength(3);
    });

    it('never caches a request without an account sid', async () => {
      const { resolver, asked } = scripted(
        () => SECRET,
        () => OTHER,
      );
      const { secrets } = resolverFor(resolver, { cacheTtl: 60 });
      await secrets.forRequest(request({ call_sid: 'c' }));
      await expect(secrets.forRequest(request({ call_sid: 'c' }))).resolves.toEqual([OTHER]);
      expect(asked).toHaveLength(2);
    });

    it("keeps a request without an account sid out of a full cache: it takes no account's place", async () => {
      const { resolver, asked } = scripted(() => SECRET);
      const { secrets } = resolverFor(resolver, { cacheTtl: 60 });
      const sids = Array.from({ length: CACHED_ACCOUNTS }, (_, i) => `ACCOUNT-SID-${i}`);
      for (const sid of sids) await secrets.forRequest(withSid(sid));
      await secrets.forRequest(request({ call_sid: 'c' }));
      await secrets.forRequest(withSid(sids[0]));
      expect(asked).toHaveLength(CACHED_ACCOUNTS + 1);
      expect(asked.at(-1)?.accountSid).toBeUndefined();
    });

    it('does not cache a refusal', async () => {
      const { resolver, asked } = scripted(
        () => undefined,
        () => SECRET,
      );
      const { secrets } = resolverFor(resolver, { cacheTtl: 60 });
      expect(await refusal(secrets.forRequest(withSid()))).toBe('no_secret');
      await expect(secrets.forRequest(withSid())).resolves.toEqual([SECRET]);
      expect(asked).toHaveLength(2);
    });
  });
});
