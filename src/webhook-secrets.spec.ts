import { CapturedLogs } from '../test/support/captured-logs.js';
import { JambonzAuthError, type JambonzAuthReason } from './core/index.js';
import type { JambonzSecretResolver, JambonzSecretResolverContext } from './jambonz-auth-options.interface.js';
import { createJambonzAuthConfig } from './jambonz-auth-options.validator.js';
import type { WebhookRequest } from './webhook-request.js';
import { accountSidOf, WebhookSecrets } from './webhook-secrets.js';

const SECRET = 'wh_secret_webhookSecretsSpec1';
const OTHER = 'wh_secret_webhookSecretsSpec2';
const SID = 'ACCOUNT-SID-0001';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const request = (body: unknown): WebhookRequest => ({ headers: {}, body });

/** A resolver that answers from `answers` in turn and remembers what it was asked. */
function scripted(...answers: Array<() => unknown>) {
  const asked: JambonzSecretResolverContext[] = [];
  const resolver = ((context: JambonzSecretResolverContext) => {
    asked.push(context);
    return answers[Math.min(asked.length, answers.length) - 1]!();
  }) as JambonzSecretResolver;
  return { resolver, asked };
}

function secretsFor(resolver: JambonzSecretResolver, secretResolverCacheTtl?: number) {
  const logger = new CapturedLogs();
  const secrets = new WebhookSecrets(createJambonzAuthConfig({ secretResolver: resolver, secretResolverCacheTtl }), logger);
  return { secrets, logger };
}

async function refusal(promise: Promise<unknown>): Promise<JambonzAuthReason> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JambonzAuthError);
  return (error as JambonzAuthError).reason;
}

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

describe('WebhookSecrets', () => {
  it('gives the configured secrets when there is no resolver', async () => {
    const config = createJambonzAuthConfig({ secret: [SECRET, OTHER] });
    const secrets = new WebhookSecrets(config, new CapturedLogs());
    await expect(secrets.forRequest(request({ account_sid: SID }))).resolves.toBe(config.secrets);
  });

  it('asks the resolver with the account sid, the unverified body and the request', async () => {
    const { resolver, asked } = scripted(() => SECRET);
    const { secrets } = secretsFor(resolver);
    const withSid = request({ account_sid: SID, call_sid: 'c' });
    const withoutSid = request({ call_sid: 'c' });
    await expect(secrets.forRequest(withSid)).resolves.toEqual([SECRET]);
    await expect(secrets.forRequest(withoutSid)).resolves.toEqual([SECRET]);
    expect(asked).toEqual([
      { accountSid: SID, body: withSid.body, request: withSid },
      { accountSid: undefined, body: withoutSid.body, request: withoutSid },
    ]);
    expect(asked[0]!.request).toBe(withSid);
  });

  it.each<[string, unknown, readonly string[]]>([
    ['one secret', SECRET, [SECRET]],
    ['several secrets', [SECRET, OTHER], [SECRET, OTHER]],
    ['a promise of one', Promise.resolve(OTHER), [OTHER]],
  ])('accepts %s', async (_case, answer, expected) => {
    const { secrets, logger } = secretsFor(() => answer as string);
    await expect(secrets.forRequest(request({ account_sid: SID }))).resolves.toEqual(expected);
    expect(logger.entries).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['an empty array', []],
  ])('refuses with no_secret when the resolver answers %s, logging nothing', async (_case, answer) => {
    const { secrets, logger } = secretsFor(() => answer as undefined);
    expect(await refusal(secrets.forRequest(request({ account_sid: SID })))).toBe('no_secret');
    expect(logger.entries).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['an empty string', ''],
    ['an empty string among secrets', [SECRET, '']],
    ['a number', 42],
    ['a number among secrets', [SECRET, 42]],
    ['an object', { secret: SECRET }],
  ])('refuses with secret_resolver_failed when the resolver answers %s, and logs it', async (_case, answer) => {
    const { secrets, logger } = secretsFor(() => answer as string);
    expect(await refusal(secrets.forRequest(request({ account_sid: SID })))).toBe('secret_resolver_failed');
    expect(logger.entries).toEqual([
      {
        level: 'error',
        message: 'The secret resolver returned something other than a secret, an array of secrets or undefined.',
      },
    ]);
  });

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
  ])('refuses with secret_resolver_failed when the resolver %s, and logs why', async (_case, answer, why) => {
    const { secrets, logger } = secretsFor(answer as JambonzSecretResolver);
    expect(await refusal(secrets.forRequest(request({ account_sid: SID })))).toBe('secret_resolver_failed');
    expect(logger.entries).toEqual([{ level: 'error', message: `The secret resolver failed: ${why}` }]);
  });

  describe('caching', () => {
    it('does not cache without a TTL', async () => {
      const { resolver, asked } = scripted(
        () => SECRET,
        () => OTHER,
      );
      const { secrets } = secretsFor(resolver);
      await expect(secrets.forRequest(request({ account_sid: SID }))).resolves.toEqual([SECRET]);
      await expect(secrets.forRequest(request({ account_sid: SID }))).resolves.toEqual([OTHER]);
      expect(asked).toHaveLength(2);
    });

    it('does not cache with a TTL of 0', async () => {
      const { resolver, asked } = scripted(
        () => SECRET,
        () => OTHER,
      );
      const { secrets } = secretsFor(resolver, 0);
      await secrets.forRequest(request({ account_sid: SID }));
      await expect(secrets.forRequest(request({ account_sid: SID }))).resolves.toEqual([OTHER]);
      expect(asked).toHaveLength(2);
    });

    it('reuses an answer per account sid for the TTL, then asks again', async () => {
      const { resolver, asked } = scripted(
        () => SECRET,
        () => OTHER,
        () => [OTHER, SECRET],
      );
      const { secrets } = secretsFor(resolver, 0.1);
      await expect(secrets.forRequest(request({ account_sid: SID }))).resolves.toEqual([SECRET]);
      await expect(secrets.forRequest(request({ account_sid: SID, other: 1 }))).resolves.toEqual([SECRET]);
      await expect(secrets.forRequest(request({ account_sid: 'ANOTHER-SID' }))).resolves.toEqual([OTHER]);
      expect(asked.map((context) => context.accountSid)).toEqual([SID, 'ANOTHER-SID']);
      await sleep(150);
      await expect(secrets.forRequest(request({ account_sid: SID }))).resolves.toEqual([OTHER, SECRET]);
      expect(asked).toHaveLength(3);
    });

    it('never caches a request without an account sid', async () => {
      const { resolver, asked } = scripted(
        () => SECRET,
        () => OTHER,
      );
      const { secrets } = secretsFor(resolver, 60);
      await secrets.forRequest(request({ call_sid: 'c' }));
      await expect(secrets.forRequest(request({ call_sid: 'c' }))).resolves.toEqual([OTHER]);
      expect(asked).toHaveLength(2);
    });

    it('does not cache a refusal', async () => {
      const { resolver, asked } = scripted(
        () => undefined,
        () => SECRET,
      );
      const { secrets } = secretsFor(resolver, 60);
      expect(await refusal(secrets.forRequest(request({ account_sid: SID })))).toBe('no_secret');
      await expect(secrets.forRequest(request({ account_sid: SID }))).resolves.toEqual([SECRET]);
      expect(asked).toHaveLength(2);
    });
  });
});
