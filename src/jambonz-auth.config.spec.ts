import { EventEmitter } from 'node:events';
import { jest } from '@jest/globals';
import { Logger, ServiceUnavailableException } from '@nestjs/common';
import { CapturedLogs } from '../test/support/captured-logs.js';
import { dispatched, TestMetrics } from '../test/support/metrics.js';
import { DEFAULT_SETTINGS } from '../test/support/options.js';
import { BasicCredentialsVerifier, basicAuthorization } from './core/basic-credentials.js';
import { WELL_KNOWN_JAMBONZ_SECRET } from './core/webhook-secret.js';
import { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
import { createJambonzAuthConfig } from './jambonz-auth.config.js';
import type { JambonzSecretResolverContext } from './jambonz-auth-options.interface.js';
import { CredentialUsageTracker } from './observability/credential-usage.tracker.js';
import type { JambonzAuthDecision } from './observability/jambonz-auth-decision.interface.js';
import { JAMBONZ_METRICS } from './observability/jambonz-auth.metrics.js';
import { ReplayProtection, type ReplayResponse } from './replay/replay-protection.js';
import type { ReplayStore } from './replay/replay-store.interface.js';
import { WebhookSecretsResolver } from './webhook-secrets.resolver.js';
import type { WebhookRequest } from './webhook-request.interface.js';

const SECRET = 'wh_secret_configSpec0000001';
const OTHER = 'wh_secret_configSpec0000002';
const CREDENTIALS = { username: 'jambonz', password: 'p:ss wörd' };
const STATUS_CREDENTIALS = { username: 'status', password: 'old-pass' };
const SID = 'ACCOUNT-SID-0001';
const SIGNATURE = new Uint8Array(32).fill(0xab);
const NOW = 1715000000;

const request = (body: unknown): WebhookRequest => ({ headers: {}, body });

/** Every line the module's Nest loggers write while `run` runs. */
async function logsOf(run: () => Promise<unknown>) {
  const logs = new CapturedLogs();
  Logger.overrideLogger(logs);
  try {
    await run();
  } finally {
    Logger.overrideLogger(false);
  }
  return logs.entries;
}

/** What the secret resolver refuses a request with (its JambonzAuthError reason). */
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: { reason?: string }) => error.reason,
  );

/** A response that has just finished with `status`, as Node's `ServerResponse` would be. */
function finished(status: number): ReplayResponse {
  return Object.assign(new EventEmitter(), { statusCode: status, writableFinished: true, closed: false });
}

/** A store that records every call. */
function recordingStore(claim: ReplayStore['claim'] = () => 'claimed') {
  const calls: unknown[][] = [];
  const store: ReplayStore = {
    claim: (...args) => {
      calls.push(['claim', ...args]);
      return claim(...args);
    },
    renew: (...args) => void calls.push(['renew', ...args]),
    consume: (...args) => void calls.push(['consume', ...args]),
    release: (...args) => void calls.push(['release', ...args]),
  };
  return { store, calls };
}

describe('createJambonzAuthConfig', () => {
  it('refuses bad options with the rule that broke', () => {
    expect(() => createJambonzAuthConfig({ secret: SECRET, tolerance: 0 })).toThrow(JambonzAuthConfigError);
    expect(() => createJambonzAuthConfig(undefined)).toThrow(
      'JambonzAuthModule: it has no options: it was imported as the bare class',
    );
    expect(() => createJambonzAuthConfig(null)).toThrow('JambonzAuthModule: options must be an object (got null).');
  });

  it('fills in every default for a secret alone', () => {
    const config = createJambonzAuthConfig({ secret: SECRET });
    expect(config).toStrictEqual({
      secretSets: new Map([['default', [SECRET]]]),
      secretResolver: undefined,
      credentialSets: new Map(),
      ...DEFAULT_SETTINGS,
      replay: undefined,
      observer: undefined,
      credentialUsage: expect.any(CredentialUsageTracker),
    });
  });

  it('keeps every setting it is given', () => {
    const settings = {
      require: 'either',
      tolerance: 60,
      allowOptionsRequests: false,
      allowReserializedBody: true,
      maxBodyBytes: 10,
      realm: 'My realm',
      clock: () => NOW,
      websocket: { maxIncomingFrameBytes: 4096, maxOutgoingFrameBytes: 65_536 },
    } as const;
    expect(createJambonzAuthConfig({ secret: SECRET, basicAuth: CREDENTIALS, ...settings })).toMatchObject(settings);
  });

  describe('named sets', () => {
    it("gathers secret and namedSecrets under their names, secret as 'default'", () => {
      const config = createJambonzAuthConfig({ secret: [SECRET, OTHER], namedSecrets: { partner: OTHER, lab: [SECRET] } });
      expect(config.secretSets).toEqual(
        new Map([
          ['partner', [OTHER]],
          ['lab', [SECRET]],
          ['default', [SECRET, OTHER]],
        ]),
      );
    });

    it("has no 'default' secret set without secret", () => {
      const config = createJambonzAuthConfig({ basicAuth: CREDENTIALS, namedSecrets: { partner: OTHER } });
      expect(config.secretSets).toEqual(new Map([['partner', [OTHER]]]));
      expect(createJambonzAuthConfig({ basicAuth: CREDENTIALS }).secretSets).toEqual(new Map());
    });

    it("builds a credential verifier per set, basicAuth as 'default'", () => {
      const config = createJambonzAuthConfig({
        basicAuth: [CREDENTIALS, STATUS_CREDENTIALS],
        namedCredentials: { status: STATUS_CREDENTIALS },
      });
      expect([...config.credentialSets.keys()]).toEqual(['status', 'default']);
      const status = config.credentialSets.get('status')!;
      const byDefault = config.credentialSets.get('default')!;
      expect(status).toBeInstanceOf(BasicCredentialsVerifier);
      expect(status.verifyIndex(basicAuthorization(STATUS_CREDENTIALS))).toEqual({ username: 'status', index: 0 });
      expect(() => status.verify(basicAuthorization(CREDENTIALS))).toThrow(
        expect.objectContaining({ reason: 'credentials_mismatch' }),
      );
      expect(byDefault.size).toBe(2);
      expect(byDefault.verifyIndex(basicAuthorization(STATUS_CREDENTIALS))).toEqual({ username: 'status', index: 1 });
    });

    it("has no 'default' credential set without basicAuth", () => {
      const config = createJambonzAuthConfig({ secret: SECRET, namedCredentials: { status: STATUS_CREDENTIALS } });
      expect([...config.credentialSets.keys()]).toEqual(['status']);
    });
  });

  describe('the secret resolver', () => {
    it('is built from secretResolver, and asked with the account sid, the unverified body and the request', async () => {
      const asked: JambonzSecretResolverContext[] = [];
      const config = createJambonzAuthConfig({
        secretResolver: (context: JambonzSecretResolverContext) => {
          asked.push(context);
          return OTHER;
        },
      });
      expect(config.secretResolver).toBeInstanceOf(WebhookSecretsResolver);
      expect(config.secretSets).toEqual(new Map());
      const webhook = request({ account_sid: SID });
      await expect(config.secretResolver!.forRequest(webhook)).resolves.toEqual([OTHER]);
      expect(asked).toEqual([{ accountSid: SID, body: webhook.body, request: webhook }]);
    });

    it('caches answers for secretResolverCacheTtl seconds', async () => {
      jest.useFakeTimers({ now: 1_715_000_000_000 });
      try {
        let calls = 0;
        const config = createJambonzAuthConfig({
          secretResolver: () => (++calls === 1 ? SECRET : OTHER),
          secretResolverCacheTtl: 2,
        });
        await expect(config.secretResolver!.forRequest(request({ account_sid: SID }))).resolves.toEqual([SECRET]);
        jest.advanceTimersByTime(1999);
        await expect(config.secretResolver!.forRequest(request({ account_sid: SID }))).resolves.toEqual([SECRET]);
        jest.advanceTimersByTime(1);
        await expect(config.secretResolver!.forRequest(request({ account_sid: SID }))).resolves.toEqual([OTHER]);
        expect(calls).toBe(2);
      } finally {
        jest.useRealTimers();
      }
    });

    it('gives up after secretResolverTimeout seconds (5 by default), logging as JambonzAuthModule', async () => {
      jest.useFakeTimers();
      try {
        const hanging = () => new Promise<string>(() => undefined);
        const byDefault = createJambonzAuthConfig({ secretResolver: hanging });
        const quick = createJambonzAuthConfig({ secretResolver: hanging, secretResolverTimeout: 0.5 });
        const entries = await logsOf(async () => {
          const slow = refusal(byDefault.secretResolver!.forRequest(request({ account_sid: SID })));
          const fast = refusal(quick.secretResolver!.forRequest(request({ account_sid: SID })));
          await jest.advanceTimersByTimeAsync(500);
          expect(await fast).toBe('secret_resolver_failed');
          await jest.advanceTimersByTimeAsync(4499);
          let slowDone = false;
          void slow.then(() => (slowDone = true));
          await jest.advanceTimersByTimeAsync(0);
          expect(slowDone).toBe(false);
          await jest.advanceTimersByTimeAsync(1);
          expect(await slow).toBe('secret_resolver_failed');
        });
        expect(entries).toEqual([
          {
            level: 'error',
            message: `The secret resolver failed for account ${SID}: no answer within 0.5 s (secretResolverTimeout)`,
            context: 'JambonzAuthModule',
          },
          {
            level: 'error',
            message: `The secret resolver failed for account ${SID}: no answer within 5 s (secretResolverTimeout)`,
            context: 'JambonzAuthModule',
          },
        ]);
      } finally {
        jest.useRealTimers();
      }
    });

    it("holds the resolver's answers to the module's secret rules, allowances included", async () => {
      const wellKnown = () => WELL_KNOWN_JAMBONZ_SECRET;
      const pasted = () => `${OTHER}\n`;
      const entries = await logsOf(async () => {
        expect(
          await refusal(createJambonzAuthConfig({ secretResolver: wellKnown }).secretResolver!.forRequest(request({}))),
        ).toBe('secret_resolver_failed');
        expect(await refusal(createJambonzAuthConfig({ secretResolver: pasted }).secretResolver!.forRequest(request({})))).toBe(
          'secret_resolver_failed',
        );
        const allowing = createJambonzAuthConfig({ secretResolver: wellKnown, allowWellKnownSecret: true });
        await expect(allowing.secretResolver!.forRequest(request({}))).resolves.toEqual([WELL_KNOWN_JAMBONZ_SECRET]);
        const lenient = createJambonzAuthConfig({ secretResolver: pasted, allowSecretWhitespace: true });
        await expect(lenient.secretResolver!.forRequest(request({}))).resolves.toEqual([`${OTHER}\n`]);
      });
      expect(entries.map(({ context }) => context)).toEqual(['JambonzAuthModule', 'JambonzAuthModule']);
    });
  });

  describe('replay protection', () => {
    /** Claims a signature on a response that finished with 200. */
    const claimOnce = (replay: ReplayProtection | undefined) => replay!.claim(SIGNATURE, NOW, NOW, finished(200));

    it.each<[string, object, number, number, number]>([
      [
        'is built from the replay block, with a 30 s lease and a ttl of the tolerance plus 75 s by default',
        {},
        120,
        30_000,
        195_000,
      ],
      ['keeps the ttl and lease it is given', { ttl: 600, lease: 2.5 }, 300, 2500, 600_000],
    ])('%s', async (_case, settings, tolerance, leaseMs, ttlMs) => {
      const { store, calls } = recordingStore();
      const config = createJambonzAuthConfig({ secret: SECRET, replay: { store, ...settings } });
      expect(config.replay).toBeInstanceOf(ReplayProtection);
      config.replay!.cover(tolerance);
      await claimOnce(config.replay);
      expect(calls).toEqual([
        ['claim', 'ab'.repeat(32), expect.any(String), leaseMs],
        ['consume', 'ab'.repeat(32), ttlMs],
      ]);
    });

    it("fails closed unless onStoreError is 'allow', logging as JambonzReplayProtection", async () => {
      const failing = recordingStore(() => Promise.reject(new Error('store down'))).store;
      const closed = createJambonzAuthConfig({ secret: SECRET, replay: { store: failing } });
      const rejecting = createJambonzAuthConfig({ secret: SECRET, replay: { store: failing, onStoreError: 'reject' } });
      const open = createJambonzAuthConfig({ secret: SECRET, replay: { store: failing, onStoreError: 'allow' } });
      const entries = await logsOf(async () => {
        await expect(claimOnce(closed.replay)).rejects.toBeInstanceOf(ServiceUnavailableException);
        await expect(claimOnce(rejecting.replay)).rejects.toBeInstanceOf(ServiceUnavailableException);
        await expect(claimOnce(open.replay)).resolves.toBeUndefined();
      });
      const refused = "Replay store failed (store down); refusing the request with 503 (replay.onStoreError is 'reject')";
      expect(entries).toEqual([
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
      jest.useFakeTimers();
      try {
        const hanging = recordingStore(() => new Promise(() => undefined)).store;
        const byDefault = createJambonzAuthConfig({ secret: SECRET, replay: { store: hanging, onStoreError: 'allow' } });
        const quick = createJambonzAuthConfig({
          secret: SECRET,
          replay: { store: hanging, onStoreError: 'allow', timeout: 0.25 },
        });
        const unchecked = (seconds: string) =>
          `Replay store failed (no answer within ${seconds} s (replay.timeout)); letting the request through unchecked ` +
          "(replay.onStoreError is 'allow')";
        const entries = await logsOf(async () => {
          const slow = claimOnce(byDefault.replay);
          const fast = claimOnce(quick.replay);
          await jest.advanceTimersByTimeAsync(250);
          await fast;
          await jest.advanceTimersByTimeAsync(750);
          await slow;
        });
        expect(entries.map(({ message }) => message)).toEqual([unchecked('0.25'), unchecked('1')]);
      } finally {
        jest.useRealTimers();
      }
    });
  });

  describe('observability', () => {
    /** An accepted decision under the default secret's second entry. */
    const accepted: JambonzAuthDecision = {
      transport: 'http',
      route: 'CallController.onCall',
      method: 'POST',
      outcome: 'accepted',
      reasons: [],
      auth: {
        verifiedBy: 'signature',
        timestamp: NOW,
        secretSet: 'default',
        secretIndex: 1,
        username: undefined,
        credentialSet: undefined,
        credentialIndex: undefined,
        accountSid: SID,
        bodySource: 'raw-body',
      },
      skew: 0,
      duration: 0.001,
    };
    const clock = () => NOW;

    it('observes nothing, and builds no observer, when nothing asks for it', () => {
      const config = createJambonzAuthConfig({ secret: SECRET, basicAuth: CREDENTIALS, clock });
      expect(config.observer).toBeUndefined();
      expect(config.credentialUsage.settings).toStrictEqual({ tracking: false, unusedAfter: 86_400, since: NOW });
    });

    it('lists every static secret and credential pair for rotation telemetry, by option and position', () => {
      const config = createJambonzAuthConfig({
        secret: [SECRET, OTHER],
        namedSecrets: { partner: OTHER },
        basicAuth: CREDENTIALS,
        namedCredentials: { status: [STATUS_CREDENTIALS, CREDENTIALS] },
        clock,
      });
      expect(
        config.credentialUsage.report(NOW).entries.map(({ kind, set, index, option }) => [kind, set, index, option]),
      ).toEqual([
        ['secret', 'partner', 0, 'namedSecrets.partner[0]'],
        ['secret', 'default', 0, 'secret[0]'],
        ['secret', 'default', 1, 'secret[1]'],
        ['basic', 'status', 0, 'namedCredentials.status[0]'],
        ['basic', 'status', 1, 'namedCredentials.status[1]'],
        ['basic', 'default', 0, 'basicAuth[0]'],
      ]);
    });

    it.each<[string, object]>([
      ['a secret set holds several secrets', { secret: [SECRET, OTHER] }],
      ['a named secret set does', { secret: SECRET, namedSecrets: { partner: [OTHER, SECRET] } }],
      ['a credential set holds several pairs', { basicAuth: [CREDENTIALS, STATUS_CREDENTIALS] }],
      ['a named credential set does', { secret: SECRET, namedCredentials: { status: [STATUS_CREDENTIALS, CREDENTIALS] } }],
      ['credentialUsage is true', { secret: SECRET, credentialUsage: true }],
    ])('records credential usage, by default, when %s', (_case, options) => {
      const config = createJambonzAuthConfig({ clock, ...options });
      expect(config.credentialUsage.settings).toStrictEqual({ tracking: true, unusedAfter: 86_400, since: NOW });
      expect(config.observer).toBeDefined();
    });

    it('records it through the observer, at once, logging rotation news as JambonzCredentialUsage', async () => {
      const config = createJambonzAuthConfig({ secret: [SECRET, OTHER], clock });
      const entries = await logsOf(async () => config.observer!.decided(accepted));
      expect(config.credentialUsage.report(NOW + 5).entries.map(({ lastUsed }) => lastUsed)).toEqual([undefined, NOW]);
      expect(entries).toEqual([
        {
          level: 'log',
          message: 'secret[1] verified a webhook signature: jambonz uses a secret other than the first of its set.',
          context: 'JambonzCredentialUsage',
        },
      ]);
    });

    it('does not record it when credentialUsage is false, rotation or not, and takes unusedAfter from it', () => {
      const off = createJambonzAuthConfig({ secret: [SECRET, OTHER], credentialUsage: false, clock });
      expect(off.credentialUsage.settings.tracking).toBe(false);
      expect(off.observer).toBeUndefined();
      const soon = createJambonzAuthConfig({ secret: SECRET, credentialUsage: { unusedAfter: 600 }, clock });
      expect(soon.credentialUsage.settings).toStrictEqual({ tracking: true, unusedAfter: 600, since: NOW });
    });

    it('hands decisions to onDecision off the request path, logging its failures as JambonzAuthObservability', async () => {
      const seen: JambonzAuthDecision[] = [];
      const config = createJambonzAuthConfig({
        secret: SECRET,
        clock,
        onDecision: (decision: JambonzAuthDecision) => {
          seen.push(decision);
          throw new Error('listener down');
        },
      });
      expect(config.credentialUsage.settings.tracking).toBe(false);
      const entries = await logsOf(async () => {
        config.observer!.decided(accepted);
        expect(seen).toEqual([]);
        await dispatched();
      });
      expect(seen).toEqual([accepted]);
      expect(entries.map(({ level, context }) => [level, context])).toEqual([['error', 'JambonzAuthObservability']]);
    });

    describe('metrics', () => {
      let metrics: TestMetrics;
      beforeEach(() => (metrics = new TestMetrics()));
      afterEach(() => metrics.shutdown());

      it('counts decisions on the meter provider given, over the global one, and records credential usage for the gauges', async () => {
        const global = new TestMetrics();
        try {
          const config = createJambonzAuthConfig(
            { secret: SECRET, metrics: { meterProvider: metrics.provider }, clock },
            global.provider,
          );
          expect(config.credentialUsage.settings.tracking).toBe(true);
          config.observer!.decided(accepted);
          await dispatched();
          expect(await metrics.count(JAMBONZ_METRICS.decisions, {})).toBe(1);
          expect(await global.points(JAMBONZ_METRICS.decisions)).toEqual([]);
        } finally {
          await global.shutdown();
        }
      });

      it('counts them on the global meter provider for metrics: true', async () => {
        const config = createJambonzAuthConfig({ secret: SECRET, metrics: true, clock }, metrics.provider);
        config.observer!.decided(accepted);
        await dispatched();
        expect(await metrics.count(JAMBONZ_METRICS.decisions, {})).toBe(1);
      });

      it('refuses metrics: true when the global meter provider was not loaded', () => {
        expect(() => createJambonzAuthConfig({ secret: SECRET, metrics: true })).toThrow(
          new JambonzAuthConfigError(
            'options.metrics is true, but the global MeterProvider was not loaded (loadGlobalMeterProvider).',
          ),
        );
      });

      it('records no credential usage when told not to, metrics or not', async () => {
        const config = createJambonzAuthConfig(
          { secret: SECRET, metrics: { meterProvider: metrics.provider }, credentialUsage: false, clock },
          undefined,
        );
        expect(config.credentialUsage.settings.tracking).toBe(false);
        config.observer!.decided({ ...accepted, auth: { ...accepted.auth!, secretIndex: 0 } });
        await dispatched();
        expect(config.credentialUsage.report(NOW).entries.map(({ lastUsed }) => lastUsed)).toEqual([undefined]);
        expect(await metrics.count(JAMBONZ_METRICS.decisions, {})).toBe(1);
      });
    });
  });
});
