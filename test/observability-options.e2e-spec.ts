import { Injectable, Module } from '@nestjs/common';
import { metrics as otelMetrics } from '@opentelemetry/api';
import {
  generateSignatureHeader,
  JAMBONZ_AUTH_CONFIG,
  JAMBONZ_METRIC_ATTRIBUTES as A,
  JAMBONZ_METRICS,
  JambonzAuthModule,
  JambonzCredentialUsage,
  type JambonzAuthConfig,
  type JambonzAuthDecision,
  type JambonzAuthModuleOptions,
} from '../src/index.js';
import { ADAPTERS, createApp, startApp, type RunningApp } from './support/app.js';
import { WebhookController } from './support/controllers.js';
import { fixture } from './support/fixtures.js';
import { send } from './support/http.js';
import { dispatched, TestMetrics } from './support/metrics.js';

// How an app wires observability: a listener from injected services, a listener that fails, the
// global MeterProvider, what is built when nothing observes, and options refused at bootstrap.

const SECRET = 'wh_secret_e2eObservability02';
const OLD_SECRET = 'wh_secret_e2eObservabilityOld';
const { body } = fixture('call-hook-inbound');
const signed = (secret = SECRET) => ({
  headers: { 'content-type': 'application/json', 'jambonz-signature': generateSignatureHeader(body, secret) },
  body,
});

/** An application service the listener hands decisions to. */
@Injectable()
class RefusalStats {
  readonly refused: string[] = [];
  add(decision: JambonzAuthDecision): void {
    if (decision.outcome === 'refused') this.refused.push(...decision.reasons);
  }
}

@Module({ providers: [RefusalStats], exports: [RefusalStats] })
class StatsModule {}

describe.each(ADAPTERS)('observability options on %s', (adapter) => {
  async function appWith(options: Partial<JambonzAuthModuleOptions>): Promise<RunningApp> {
    return startApp(adapter, 'raw-body', [JambonzAuthModule.forRoot({ secret: SECRET, ...options })], [WebhookController]);
  }

  it('hands decisions to an injected service from a forRootAsync factory', async () => {
    const app = await startApp(
      adapter,
      'raw-body',
      [
        JambonzAuthModule.forRootAsync({
          imports: [StatsModule],
          inject: [RefusalStats],
          useFactory: (stats: RefusalStats) => ({ secret: SECRET, onDecision: (decision) => stats.add(decision) }),
        }),
      ],
      [WebhookController],
    );
    try {
      expect((await send(`${app.url}/call`, signed())).status).toBe(200);
      expect((await send(`${app.url}/call`, signed('wh_secret_someoneElse000000'))).status).toBe(401);
      await dispatched();
      expect(app.app.get(RefusalStats).refused).toEqual(['signature_mismatch']);
    } finally {
      await app.close();
    }
  });

  it.each([
    [
      'throws',
      () => {
        throw new TypeError('listener bug\r\nerror forged line');
      },
      'error The onDecision listener failed; requests are not affected: TypeError: listener bug\\u000d\\u000aerror forged line',
    ],
    [
      'rejects',
      () => Promise.reject(new Error('backend down')),
      'error The onDecision listener failed; requests are not affected: backend down',
    ],
  ])(
    'answers every request as usual when the listener %s, and logs the failure once a minute, neutralised',
    async (_how, onDecision, line) => {
      const clock = { now: 1_760_000_000 };
      const app = await appWith({ onDecision, clock: () => clock.now, tolerance: 3600 });
      try {
        const request = () => {
          const headers = {
            'content-type': 'application/json',
            'jambonz-signature': generateSignatureHeader(body, SECRET, { timestamp: clock.now }),
          };
          return send(`${app.url}/call`, { headers, body });
        };
        const first = await request();
        expect(first.status).toBe(200);
        expect((first.json as Array<{ verb: string }>)[0]).toEqual({ verb: 'say', text: 'hello' });
        expect((await request()).status).toBe(200);
        await dispatched();
        await dispatched();
        const failures = () =>
          app.logs.entries.filter((e) => e.context === 'JambonzAuthObservability').map((e) => `${e.level} ${e.message}`);
        expect(failures()).toEqual([line]);
        clock.now += 60;
        expect((await request()).status).toBe(200);
        await dispatched();
        await dispatched();
        expect(failures()[1]).toContain('listener failed (2 failures since the last line)');
      } finally {
        await app.close();
      }
    },
  );

  describe("with OpenTelemetry's global MeterProvider (metrics: true)", () => {
    const metrics = new TestMetrics();
    beforeAll(() => otelMetrics.setGlobalMeterProvider(metrics.provider));
    afterAll(async () => {
      otelMetrics.disable();
      await metrics.shutdown();
    });

    it('records there', async () => {
      const app = await appWith({ metrics: true });
      try {
        expect((await send(`${app.url}/call`, signed())).status).toBe(200);
        await dispatched();
        expect(await metrics.count(JAMBONZ_METRICS.decisions, { [A.outcome]: 'accepted', [A.secretIndex]: 0 })).toBe(1);
      } finally {
        await app.close();
      }
    });
  });

  it.each([
    ['nothing is asked for, with one secret', {}, false, false],
    ['a rotation is in progress (two secrets)', { secret: [SECRET, OLD_SECRET] }, true, true],
    ['credentialUsage is false during a rotation', { secret: [SECRET, OLD_SECRET], credentialUsage: false }, false, false],
    ['credentialUsage is true with one secret', { credentialUsage: true }, true, true],
    ['onDecision is set', { onDecision: () => undefined }, true, false],
  ])('builds a decision observer only when something observes: %s', async (_what, options, observes, tracks) => {
    const { app } = await createApp(
      adapter,
      'raw-body',
      [JambonzAuthModule.forRoot({ secret: SECRET, ...options })],
      [WebhookController],
    );
    try {
      await app.init();
      const config = app.get<JambonzAuthConfig>(JAMBONZ_AUTH_CONFIG);
      expect(config.observer !== undefined).toBe(observes);
      expect(app.get(JambonzCredentialUsage).report().tracking).toBe(tracks);
    } finally {
      await app.close();
    }
  });

  it.each([
    [{ onDecision: 'log' }, 'options.onDecision must be a function (decision) => void (got "log").'],
    [{ metrics: 'yes' }, 'options.metrics must be an object (got "yes").'],
    [{ metrics: { meterProvider: {} } }, 'options.metrics.meterProvider must be an OpenTelemetry MeterProvider'],
    [{ metrics: { exporter: 'prometheus' } }, "options.metrics has an unknown key 'exporter'. Known keys: meterProvider."],
    [
      { credentialUsage: { unusedAfter: 0 } },
      'options.credentialUsage.unusedAfter must be a positive number of seconds (got 0).',
    ],
    [{ credentialUsage: { unusedAfter: '1d' } }, 'options.credentialUsage.unusedAfter must be a positive number of seconds'],
  ])('stops the app at bootstrap on %j', async (options, message) => {
    await expect(
      createApp(
        adapter,
        'raw-body',
        [JambonzAuthModule.forRoot({ secret: SECRET, ...(options as object) })],
        [WebhookController],
      ),
    ).rejects.toThrow(message);
  });
});
