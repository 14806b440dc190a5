import {
  generateSignatureHeader,
  JAMBONZ_METRIC_ATTRIBUTES as A,
  JAMBONZ_METRICS,
  JambonzAuthModule,
  JambonzCredentialUsage,
  type JambonzCredentialUsageEntry,
} from '../src/index.js';
import { ADAPTERS, startApp, type RunningApp } from './support/app.js';
import { WebhookController } from './support/controllers.js';
import { fixture } from './support/fixtures.js';
import { basic, send } from './support/http.js';
import { dispatched, TestMetrics } from './support/metrics.js';

// A rotation from secret A to secret B, followed on the module's clock until A is reported
// unused: the rotation lines in the log, JambonzCredentialUsage.report() and the last-use gauges.

const SECRET_A = 'wh_secret_rotationSecretAAAA';
const SECRET_B = 'wh_secret_rotationSecretBBBB';
const OLD = { username: 'jambonz', password: 'old-pass' };
const NEW = { username: 'jambonz', password: 'p:ss wörd' };
const T0 = 1_760_000_000;
const DAY = 86_400;
const { payload } = fixture('call-hook-inbound');

describe.each(ADAPTERS)('a rotation followed on %s', (adapter) => {
  let app: RunningApp;
  let usage: JambonzCredentialUsage;
  const metrics = new TestMetrics();
  const clock = { now: T0 };

  beforeAll(async () => {
    app = await startApp(
      adapter,
      'raw-body',
      [
        JambonzAuthModule.forRoot({
          // As the README's rotation recipe deploys it: the current secret, then the next.
          secret: [SECRET_A, SECRET_B],
          basicAuth: [OLD, NEW],
          clock: () => clock.now,
          metrics: { meterProvider: metrics.provider },
        }),
      ],
      [WebhookController],
    );
    usage = app.app.get(JambonzCredentialUsage);
  });
  afterAll(async () => {
    await app.close();
    await metrics.shutdown();
  });

  /** A webhook at the clock's time, signed with `secret`, with `credentials`. */
  async function webhook(secret: string, credentials: { username: string; password: string }): Promise<number> {
    const body = JSON.stringify(payload);
    const reply = await send(`${app.url}/call`, {
      headers: {
        'content-type': 'application/json',
        'jambonz-signature': generateSignatureHeader(body, secret, { timestamp: clock.now }),
        authorization: basic(credentials.username, credentials.password),
      },
      body,
    });
    await dispatched();
    return reply.status;
  }

  const entry = (option: string): JambonzCredentialUsageEntry => usage.report().entries.find((e) => e.option === option)!;
  const rotationLines = () => app.logs.lines.filter((line) => line.endsWith(' JambonzCredentialUsage'));

  it('starts with every secret and pair listed, none used', () => {
    expect(usage.report()).toEqual({
      tracking: true,
      now: T0,
      since: T0,
      unusedAfter: DAY,
      entries: [
        { kind: 'secret', set: 'default', index: 0, option: 'secret[0]', lastUsed: undefined, unusedFor: 0, safeToRemove: false },
        { kind: 'secret', set: 'default', index: 1, option: 'secret[1]', lastUsed: undefined, unusedFor: 0, safeToRemove: false },
        {
          kind: 'basic',
          set: 'default',
          index: 0,
          option: 'basicAuth[0]',
          lastUsed: undefined,
          unusedFor: 0,
          safeToRemove: false,
        },
        {
          kind: 'basic',
          set: 'default',
          index: 1,
          option: 'basicAuth[1]',
          lastUsed: undefined,
          unusedFor: 0,
          safeToRemove: false,
        },
      ],
    });
  });

  it('records the current secret and pair, and logs nothing: they are the first of their sets', async () => {
    clock.now = T0 + 10;
    expect(await webhook(SECRET_A, OLD)).toBe(200);
    expect(entry('secret[0]')).toMatchObject({ lastUsed: T0 + 10, unusedFor: 0, safeToRemove: false });
    expect(entry('secret[1]')).toMatchObject({ lastUsed: undefined, unusedFor: 10, safeToRemove: false });
    expect(rotationLines()).toEqual([]);
  });

  it('logs once, at log level, when jambonz switches to the next secret and pair', async () => {
    clock.now = T0 + 60;
    expect(await webhook(SECRET_B, NEW)).toBe(200);
    clock.now = T0 + 70;
    expect(await webhook(SECRET_B, NEW)).toBe(200);
    expect(rotationLines()).toEqual([
      'log secret[1] verified a webhook signature: jambonz uses a secret other than the first of its set. JambonzCredentialUsage',
      'log basicAuth[1] authenticated a request: jambonz uses a credential pair other than the first of its set. JambonzCredentialUsage',
    ]);
  });

  it('keeps the old secret while calls in progress still sign with it', async () => {
    clock.now = T0 + 600;
    expect(await webhook(SECRET_A, OLD)).toBe(200);
    clock.now = T0 + 600 + DAY - 1;
    expect(await webhook(SECRET_B, NEW)).toBe(200);
    expect(entry('secret[0]')).toMatchObject({ lastUsed: T0 + 600, unusedFor: DAY - 1, safeToRemove: false });
    expect(rotationLines()).toHaveLength(2);
  });

  it('reports the old secret and pair unused, and logs it once, a day after their last use', async () => {
    clock.now = T0 + 600 + DAY;
    expect(await webhook(SECRET_B, NEW)).toBe(200);
    clock.now = T0 + 600 + DAY + 30;
    expect(await webhook(SECRET_B, NEW)).toBe(200);
    expect(rotationLines().slice(2)).toEqual([
      `log secret[0] has authenticated nothing on this instance for ${DAY} s while secret[1] did: it can be removed once no other instance uses it either. JambonzCredentialUsage`,
      `log basicAuth[0] has authenticated nothing on this instance for ${DAY} s while basicAuth[1] did: it can be removed once no other instance uses it either. JambonzCredentialUsage`,
    ]);
    const report = usage.report();
    expect(report.entries.filter((e) => e.safeToRemove).map((e) => e.option)).toEqual(['secret[0]', 'basicAuth[0]']);
    expect(entry('secret[0]')).toMatchObject({ lastUsed: T0 + 600, unusedFor: DAY + 30 });
    expect(entry('secret[1]')).toMatchObject({ lastUsed: T0 + 600 + DAY + 30, unusedFor: 0, safeToRemove: false });
  });

  it('carries each last use to the backend as a gauge, in Unix seconds, for a fleet-wide maximum', async () => {
    const secrets = await metrics.points(JAMBONZ_METRICS.secretLastUsed);
    expect(secrets.map((p) => [p.attributes, p.value])).toEqual([
      [{ [A.secretSet]: 'default', [A.secretIndex]: 0 }, T0 + 600],
      [{ [A.secretSet]: 'default', [A.secretIndex]: 1 }, T0 + 600 + DAY + 30],
    ]);
    const pairs = await metrics.points(JAMBONZ_METRICS.credentialsLastUsed);
    expect(pairs.map((p) => [p.attributes, p.value])).toEqual([
      [{ [A.credentialsSet]: 'default', [A.credentialsIndex]: 0 }, T0 + 600],
      [{ [A.credentialsSet]: 'default', [A.credentialsIndex]: 1 }, T0 + 600 + DAY + 30],
    ]);
    expect(await metrics.count(JAMBONZ_METRICS.decisions, { [A.secretIndex]: 0 })).toBe(2);
    expect(await metrics.count(JAMBONZ_METRICS.decisions, { [A.secretIndex]: 1 })).toBe(5);
  });

  it('takes the old secret back as used when it verifies a request again, and says so again when it goes unused', async () => {
    clock.now = T0 + 2 * DAY;
    expect(await webhook(SECRET_A, OLD)).toBe(200);
    expect(entry('secret[0]').safeToRemove).toBe(false);
    clock.now = T0 + 3 * DAY;
    expect(await webhook(SECRET_B, NEW)).toBe(200);
    expect(entry('secret[0]').safeToRemove).toBe(true);
    expect(rotationLines().filter((line) => line.startsWith('log secret[0] has authenticated nothing'))).toHaveLength(2);
  });
});
