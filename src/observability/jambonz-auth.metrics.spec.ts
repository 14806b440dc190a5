import { TestMetrics } from '../../test/support/metrics.js';
import { CredentialUsageTracker } from './credential-usage.tracker.js';
import type { JambonzAuthDecision } from './jambonz-auth-decision.interface.js';
import {
  DECISION_DURATION_BUCKETS,
  JAMBONZ_METER_NAME,
  JAMBONZ_METRIC_ATTRIBUTES as A,
  JAMBONZ_METRICS,
  JambonzAuthMetrics,
} from './jambonz-auth.metrics.js';
import { DataPointType, type Histogram } from '@opentelemetry/sdk-metrics';

const refused: JambonzAuthDecision = {
  transport: 'websocket',
  route: '/ws',
  method: 'GET',
  outcome: 'refused',
  reasons: ['missing_credentials'],
  auth: undefined,
  skew: undefined,
  duration: 0.00003,
};

const silent = { log: () => undefined, error: () => undefined, warn: () => undefined };

describe('JambonzAuthMetrics', () => {
  let metrics: TestMetrics;
  let usage: CredentialUsageTracker;
  let instruments: JambonzAuthMetrics;
  beforeEach(() => {
    metrics = new TestMetrics();
    usage = new CredentialUsageTracker(
      new Map([['default', 2]]),
      new Map([['status', 1]]),
      { tracking: true, unusedAfter: 1, since: 0 },
      silent,
    );
    instruments = new JambonzAuthMetrics(metrics.provider, usage);
  });
  afterEach(() => metrics.shutdown());

  it('creates its instruments under the meter nestjs-jambonz-auth, with OpenTelemetry units', async () => {
    instruments.record(refused);
    usage.record({ ...accepted().auth!, credentialSet: 'status', credentialIndex: 0 }, 1_700_000_000);
    const [scope] = await metrics.scopes();
    expect(scope!.scope.name).toBe(JAMBONZ_METER_NAME);
    expect(scope!.metrics.map((m) => [m.descriptor.name, m.descriptor.unit, m.dataPointType])).toEqual([
      [JAMBONZ_METRICS.decisions, '{decision}', DataPointType.SUM],
      [JAMBONZ_METRICS.duration, 's', DataPointType.HISTOGRAM],
      [JAMBONZ_METRICS.secretLastUsed, 's', DataPointType.GAUGE],
      [JAMBONZ_METRICS.credentialsLastUsed, 's', DataPointType.GAUGE],
    ]);
    expect(scope!.metrics[0]).toMatchObject({ isMonotonic: true });
  });

  it('counts a refusal with its reasons and no credential attribute', async () => {
    instruments.record(refused);
    instruments.record({ ...refused, reasons: ['missing_credentials', 'signature_mismatch'] });
    const points = await metrics.points(JAMBONZ_METRICS.decisions);
    expect(points.map((p) => [p.attributes, p.value])).toEqual([
      [
        {
          [A.transport]: 'websocket',
          [A.route]: '/ws',
          [A.method]: 'GET',
          [A.outcome]: 'refused',
          [A.reason]: 'missing_credentials',
        },
        1,
      ],
      [
        {
          [A.transport]: 'websocket',
          [A.route]: '/ws',
          [A.method]: 'GET',
          [A.outcome]: 'refused',
          [A.reason]: 'missing_credentials,signature_mismatch',
        },
        1,
      ],
    ]);
  });

  it('counts an acceptance with what authenticated it, never the account or the username', async () => {
    instruments.record(accepted());
    const [point] = await metrics.points(JAMBONZ_METRICS.decisions);
    expect(point!.attributes).toEqual({
      [A.transport]: 'http',
      [A.route]: 'C.m',
      [A.method]: 'POST',
      [A.outcome]: 'accepted',
      [A.verifiedBy]: 'both',
      [A.bodySource]: 'reserialized',
      [A.secretSet]: 'default',
      [A.secretIndex]: 1,
      [A.credentialsSet]: 'status',
      [A.credentialsIndex]: 0,
    });
  });

  it('counts identical decisions in one series, and keeps counting after a collection', async () => {
    instruments.record(accepted());
    instruments.record(accepted());
    instruments.record({ ...accepted(), auth: { ...accepted().auth!, secretIndex: 0 } });
    const values = async () =>
      (await metrics.points(JAMBONZ_METRICS.decisions)).map((p) => [p.attributes[A.secretIndex], p.value]);
    expect(await values()).toEqual([
      [1, 2],
      [0, 1],
    ]);
    instruments.record(accepted());
    expect(await values()).toEqual([
      [1, 3],
      [0, 1],
    ]);
  });

  it('keeps only known methods as they are, as OpenTelemetry does', async () => {
    instruments.record({ ...refused, method: 'PROPFIND' });
    instruments.record({ ...refused, method: 'get' });
    const methods = (await metrics.points(JAMBONZ_METRICS.decisions)).map((p) => p.attributes[A.method]);
    expect(methods).toEqual(['_OTHER']);
  });

  it('records the duration in seconds, in buckets from 10 µs', async () => {
    instruments.record(refused);
    const [point] = await metrics.points<Histogram>(JAMBONZ_METRICS.duration);
    expect(point!.attributes).toEqual({ [A.transport]: 'websocket', [A.route]: '/ws', [A.outcome]: 'refused' });
    expect(point!.value.buckets.boundaries).toEqual(DECISION_DURATION_BUCKETS);
    expect(point!.value.sum).toBeCloseTo(0.00003);
    expect(point!.value.buckets.counts[DECISION_DURATION_BUCKETS.indexOf(0.00005)]).toBe(1);
  });

  it('reports the last use of each used secret and pair as gauges, in Unix seconds', async () => {
    usage.record(accepted().auth!, 1_700_000_123.5);
    expect((await metrics.points(JAMBONZ_METRICS.secretLastUsed)).map((p) => [p.attributes, p.value])).toEqual([
      [{ [A.secretSet]: 'default', [A.secretIndex]: 1 }, 1_700_000_123.5],
    ]);
    expect((await metrics.points(JAMBONZ_METRICS.credentialsLastUsed)).map((p) => [p.attributes, p.value])).toEqual([
      [{ [A.credentialsSet]: 'status', [A.credentialsIndex]: 0 }, 1_700_000_123.5],
    ]);
  });
});

function accepted(): JambonzAuthDecision {
  return {
    ...refused,
    transport: 'http',
    route: 'C.m',
    method: 'POST',
    outcome: 'accepted',
    reasons: [],
    skew: 0,
    auth: {
      verifiedBy: 'both',
      timestamp: 1,
      secretSet: 'default',
      secretIndex: 1,
      username: 'jambonz',
      credentialSet: 'status',
      credentialIndex: 0,
      accountSid: 'AC123',
      bodySource: 'reserialized',
    },
  };
}
