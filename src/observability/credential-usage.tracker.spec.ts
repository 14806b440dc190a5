import { CapturedLogs } from '../../test/support/captured-logs.js';
import type { JambonzAuthContext } from '../jambonz-auth-context.decorator.js';
import { CredentialUsageTracker } from './credential-usage.tracker.js';

const T0 = 1_000_000;
const HOUR = 3600;

function tracker(unusedAfter = HOUR, tracking = true) {
  const logs = new CapturedLogs();
  const usage = new CredentialUsageTracker(
    new Map([
      ['default', 2],
      ['partner', 1],
    ]),
    new Map([['status', 3]]),
    { tracking, unusedAfter, since: T0 },
    logs,
  );
  return { usage, logs, messages: () => logs.entries.map((e) => `${e.level} ${e.message}`) };
}

const bySecret = (secretSet: string, secretIndex: number): JambonzAuthContext => ({
  verifiedBy: 'signature',
  timestamp: T0,
  secretSet,
  secretIndex,
  username: undefined,
  credentialSet: undefined,
  credentialIndex: undefined,
  accountSid: undefined,
  bodySource: 'raw-body',
});

const byCredentials = (credentialSet: string, credentialIndex: number): JambonzAuthContext => ({
  ...bySecret('x', 0),
  verifiedBy: 'basic',
  secretSet: undefined,
  secretIndex: undefined,
  bodySource: undefined,
  username: 'jambonz',
  credentialSet,
  credentialIndex,
});

describe('CredentialUsageTracker', () => {
  it('lists every secret, then every pair, with its option path', () => {
    const { usage } = tracker();
    expect(usage.report(T0 + 5).entries.map((e) => [e.option, e.kind, e.set, e.index, e.unusedFor])).toEqual([
      ['secret[0]', 'secret', 'default', 0, 5],
      ['secret[1]', 'secret', 'default', 1, 5],
      ['namedSecrets.partner[0]', 'secret', 'partner', 0, 5],
      ['namedCredentials.status[0]', 'basic', 'status', 0, 5],
      ['namedCredentials.status[1]', 'basic', 'status', 1, 5],
      ['namedCredentials.status[2]', 'basic', 'status', 2, 5],
    ]);
  });

  it('records the secret and the pair of one request, each in its own set', () => {
    const { usage } = tracker();
    usage.record({ ...bySecret('default', 1), verifiedBy: 'both', credentialSet: 'status', credentialIndex: 2 }, T0 + 7);
    const used = usage.report(T0 + 10).entries.filter((e) => e.lastUsed !== undefined);
    expect(used.map((e) => [e.option, e.lastUsed, e.unusedFor])).toEqual([
      ['secret[1]', T0 + 7, 3],
      ['namedCredentials.status[2]', T0 + 7, 3],
    ]);
  });

  it("ignores a resolver's secrets (no static set) and positions past a set's end", () => {
    const { usage, messages } = tracker();
    usage.record({ ...bySecret('resolved', 4) }, T0 + 1);
    usage.record({ ...bySecret('default', 2) }, T0 + 1);
    expect(usage.report(T0 + 2).entries.every((e) => e.lastUsed === undefined)).toBe(true);
    expect(messages()).toEqual([]);
  });

  it('logs once per position when one other than the first authenticates a request', () => {
    const { usage, messages } = tracker();
    usage.record(bySecret('default', 0), T0 + 1);
    usage.record(bySecret('default', 1), T0 + 2);
    usage.record(bySecret('default', 1), T0 + 3);
    usage.record(byCredentials('status', 2), T0 + 4);
    usage.record(byCredentials('status', 1), T0 + 5);
    expect(messages()).toEqual([
      'log secret[1] verified a webhook signature: jambonz uses a secret other than the first of its set.',
      'log namedCredentials.status[2] authenticated a request: jambonz uses a credential pair other than the first of its set.',
      'log namedCredentials.status[1] authenticated a request: jambonz uses a credential pair other than the first of its set.',
    ]);
  });

  it('says a position is safe to remove after unusedAfter seconds of disuse while another of its set was used since', () => {
    const { usage, messages } = tracker();
    usage.record(bySecret('default', 0), T0 + 10);
    usage.record(bySecret('default', 1), T0 + 20);
    const entry = (now: number, index: number) => usage.report(now).entries[index]!;
    expect(entry(T0 + 10 + HOUR - 1, 0).safeToRemove).toBe(false);
    expect(entry(T0 + 10 + HOUR, 0)).toMatchObject({ unusedFor: HOUR, safeToRemove: true });
    // secret[1] was used after secret[0], so secret[0]'s disuse does not make secret[1] removable.
    expect(entry(T0 + 10 * HOUR, 1).safeToRemove).toBe(false);
    usage.record(bySecret('default', 1), T0 + 2 * HOUR);
    usage.record(bySecret('default', 1), T0 + 3 * HOUR);
    expect(messages().filter((m) => m.includes('authenticated nothing'))).toEqual([
      'log secret[0] has authenticated nothing on this instance for 7190 s while secret[1] did: it can be removed once no other instance uses it either.',
    ]);
  });

  it('counts a position never used as unused since recording started', () => {
    const { usage, messages } = tracker();
    usage.record(bySecret('default', 0), T0 + HOUR);
    expect(usage.report(T0 + HOUR).entries[1]).toMatchObject({ lastUsed: undefined, unusedFor: HOUR, safeToRemove: true });
    expect(messages()).toEqual([
      'log secret[1] has authenticated nothing on this instance for 3600 s while secret[0] did: it can be removed once no other instance uses it either.',
    ]);
  });

  it('never calls the only entry of a set, or an unused set, removable', () => {
    const { usage } = tracker();
    usage.record(bySecret('partner', 0), T0);
    const report = usage.report(T0 + 100 * HOUR);
    expect(report.entries.filter((e) => e.safeToRemove)).toEqual([]);
  });

  it('hands the gauges the last use of every position used so far, by kind', () => {
    const { usage } = tracker();
    usage.record(bySecret('default', 1), T0 + 1);
    usage.record(byCredentials('status', 0), T0 + 2);
    const seen: unknown[] = [];
    usage.forEachUse('secret', (...args) => seen.push(['secret', ...args]));
    usage.forEachUse('basic', (...args) => seen.push(['basic', ...args]));
    expect(seen).toEqual([
      ['secret', T0 + 1, 'default', 1],
      ['basic', T0 + 2, 'status', 0],
    ]);
  });

  it('reports its settings, and whether it records', () => {
    expect(tracker(60, false).usage.report(T0 + 1)).toMatchObject({ tracking: false, now: T0 + 1, since: T0, unusedAfter: 60 });
  });
});
