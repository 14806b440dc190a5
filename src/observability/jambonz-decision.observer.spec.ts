import { CapturedLogs } from '../../test/support/captured-logs.js';
import { CredentialUsageTracker } from './credential-usage.tracker.js';
import type { JambonzAuthDecision } from './jambonz-auth-decision.interface.js';
import type { JambonzAuthMetrics } from './jambonz-auth.metrics.js';
import { createDecisionObserver, FAILURE_LOG_INTERVAL_SECONDS } from './jambonz-decision.observer.js';

const T0 = 1_000_000;
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

const refused: JambonzAuthDecision = {
  transport: 'http',
  route: 'C.m',
  method: 'POST',
  outcome: 'refused',
  reasons: ['signature_mismatch'],
  auth: undefined,
  skew: 1,
  duration: 0.0001,
};
const accepted: JambonzAuthDecision = {
  ...refused,
  outcome: 'accepted',
  reasons: [],
  auth: {
    verifiedBy: 'signature',
    timestamp: T0,
    secretSet: 'default',
    secretIndex: 1,
    username: undefined,
    credentialSet: undefined,
    credentialIndex: undefined,
    accountSid: 'AC1',
    bodySource: 'raw-body',
  },
};

function parts(overrides: Partial<Parameters<typeof createDecisionObserver>[0]> = {}) {
  const logs = new CapturedLogs();
  const clock = { now: T0 };
  return {
    logs,
    clock,
    parts: { listener: undefined, metrics: undefined, usage: undefined, clock: () => clock.now, logger: logs, ...overrides },
  };
}

describe('createDecisionObserver', () => {
  it('builds nothing when nothing observes', () => {
    expect(createDecisionObserver(parts().parts)).toBeUndefined();
  });

  it('hands decisions to the listener after the current turn, all of a turn together, in order', async () => {
    const seen: JambonzAuthDecision[] = [];
    const observer = createDecisionObserver(parts({ listener: (d) => void seen.push(d) }).parts)!;
    observer.decided(accepted);
    observer.decided(refused);
    expect(seen).toEqual([]);
    await nextTurn();
    expect(seen).toEqual([accepted, refused]);
    observer.decided(refused);
    await nextTurn();
    expect(seen).toEqual([accepted, refused, refused]);
  });

  it('records metrics before the listener, each decision once', async () => {
    const order: string[] = [];
    const metrics = { record: (d: JambonzAuthDecision) => order.push(`metrics ${d.outcome}`) } as unknown as JambonzAuthMetrics;
    const observer = createDecisionObserver(parts({ metrics, listener: (d) => void order.push(`listener ${d.outcome}`) }).parts)!;
    observer.decided(accepted);
    await nextTurn();
    expect(order).toEqual(['metrics accepted', 'listener accepted']);
  });

  it("records an accepted decision's secret at once, at the module's clock, and queues nothing without a listener or metrics", async () => {
    const { parts: p, clock } = parts();
    const usage = new CredentialUsageTracker(
      new Map([['default', 2]]),
      new Map(),
      { tracking: true, unusedAfter: 60, since: T0 },
      p.logger,
    );
    const observer = createDecisionObserver({ ...p, usage })!;
    clock.now = T0 + 5;
    observer.decided(refused);
    observer.decided(accepted);
    expect(usage.report(T0 + 5).entries.map((e) => e.lastUsed)).toEqual([undefined, T0 + 5]);
  });

  it('logs a throwing or rejecting listener at most once a minute, with the count, and goes on', async () => {
    let calls = 0;
    const {
      parts: p,
      logs,
      clock,
    } = parts({
      listener: () => {
        calls++;
        if (calls % 2) throw new Error(`sync ${calls}`);
        return Promise.reject(new Error(`async ${calls}`));
      },
    });
    const observer = createDecisionObserver(p)!;
    for (let i = 0; i < 3; i++) observer.decided(refused);
    await nextTurn();
    await nextTurn();
    clock.now = T0 + FAILURE_LOG_INTERVAL_SECONDS;
    observer.decided(refused);
    await nextTurn();
    await nextTurn();
    expect(calls).toBe(4);
    expect(logs.entries.map((e) => [e.level, e.message])).toEqual([
      ['error', 'The onDecision listener failed; requests are not affected: sync 1'],
      ['error', 'The onDecision listener failed (3 failures since the last line); requests are not affected: async 4'],
    ]);
  });

  it('logs failing metrics and still calls the listener', async () => {
    const seen: JambonzAuthDecision[] = [];
    const metrics = {
      record: () => {
        throw 'exporter gone';
      },
    } as unknown as JambonzAuthMetrics;
    const { parts: p, logs } = parts({ metrics, listener: (d) => void seen.push(d) });
    createDecisionObserver(p)!.decided(refused);
    await nextTurn();
    expect(seen).toEqual([refused]);
    expect(logs.entries.map((e) => e.message)).toEqual(['Recording metrics failed; requests are not affected: exporter gone']);
  });

  it('names a thrown non-error by its type only', async () => {
    const { parts: p, logs } = parts({
      listener: () => {
        throw { secret: 'x' };
      },
    });
    createDecisionObserver(p)!.decided(refused);
    await nextTurn();
    expect(logs.entries.map((e) => e.message)).toEqual([
      'The onDecision listener failed; requests are not affected: [object Object]',
    ]);
  });
});
