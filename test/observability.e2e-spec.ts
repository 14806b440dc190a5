import {
  generateSignatureHeader,
  JAMBONZ_METRIC_ATTRIBUTES as A,
  JAMBONZ_METRICS,
  JambonzAuthModule,
  MemoryReplayStore,
  type JambonzAuthDecision,
  type JambonzAuthModuleOptions,
  type JambonzSecretResolverContext,
  type ReplayStore,
} from '../src/index.js';
import { ADAPTERS, startApp, type AdapterName, type BodySetup, type RunningApp } from './support/app.js';
import { GetWebhookController, WebhookController } from './support/controllers.js';
import { fixture } from './support/fixtures.js';
import { basic, send, type Reply } from './support/http.js';
import { dispatched, TestMetrics } from './support/metrics.js';

// Every outcome of the guard, observed as an `onDecision` event and as OpenTelemetry metrics read
// through a real SDK meter provider and an in-memory reader.

const SECRET = 'wh_secret_e2eObservability01';
const USER = 'jambonz';
const PASS = 'p:ss wörd';
const NOW = 1_760_000_000;
const { payload } = fixture('call-hook-inbound');
const ACCOUNT_SID = payload.account_sid as string;
const JSON_TYPE = { 'content-type': 'application/json' };
const CALL_ROUTE = 'WebhookController.onCall';

let sequence = 0;
/** A fresh signed body (its own signature, so replay protection takes it as new) and its headers. */
function delivery(options: { secret?: string; timestamp?: number; credentials?: string | false } = {}) {
  const body = JSON.stringify({ ...payload, sequence: ++sequence });
  const headers: Record<string, string> = {
    ...JSON_TYPE,
    'jambonz-signature': generateSignatureHeader(body, options.secret ?? SECRET, { timestamp: options.timestamp ?? NOW }),
  };
  if (options.credentials !== false) headers.authorization = options.credentials ?? basic(USER, PASS);
  return { headers, body };
}

/** An app that observes its decisions through `onDecision` and metrics. */
interface ObservedApp {
  readonly app: RunningApp;
  readonly decisions: JambonzAuthDecision[];
  readonly metrics: TestMetrics;
  /** Sends a request and returns the reply with the one decision it produced. */
  decide(path: string, init: Parameters<typeof send>[1]): Promise<{ reply: Reply; decision: JambonzAuthDecision }>;
  close(): Promise<void>;
}

async function observed(
  adapter: AdapterName,
  options: JambonzAuthModuleOptions,
  body: BodySetup = 'raw-body',
  controllers = [WebhookController, GetWebhookController],
): Promise<ObservedApp> {
  const decisions: JambonzAuthDecision[] = [];
  const metrics = new TestMetrics();
  const app = await startApp(
    adapter,
    body,
    [
      JambonzAuthModule.forRoot({
        clock: () => NOW,
        ...options,
        onDecision: (decision) => void decisions.push(decision),
        metrics: { meterProvider: metrics.provider },
      }),
    ],
    controllers,
  );
  return {
    app,
    decisions,
    metrics,
    async decide(path, init) {
      const before = decisions.length;
      const reply = await send(`${app.url}${path}`, init);
      await dispatched();
      expect(decisions).toHaveLength(before + 1);
      return { reply, decision: decisions.at(-1)! };
    },
    async close() {
      await app.close();
      await metrics.shutdown();
    },
  };
}

const refusal = (route: string, method: string, reasons: string[]) => ({
  transport: 'http',
  route,
  method,
  outcome: 'refused',
  reasons,
  auth: undefined,
});

describe.each(ADAPTERS)('decisions observed on %s', (adapter) => {
  describe('a secret and Basic credentials, with replay protection', () => {
    let observer: ObservedApp;
    beforeAll(async () => {
      observer = await observed(adapter, {
        secret: SECRET,
        basicAuth: { username: USER, password: PASS },
        replay: { store: new MemoryReplayStore() },
      });
    });
    afterAll(() => observer.close());

    it('reports an accepted webhook with what authenticated it, its skew and duration, and counts it', async () => {
      const signed = delivery({ timestamp: NOW - 3 });
      const { reply, decision } = await observer.decide('/call', signed);
      expect(reply.status).toBe(200);
      expect(decision).toEqual({
        transport: 'http',
        route: CALL_ROUTE,
        method: 'POST',
        outcome: 'accepted',
        reasons: [],
        auth: {
          verifiedBy: 'both',
          timestamp: NOW - 3,
          secretSet: 'default',
          secretIndex: 0,
          username: USER,
          credentialSet: 'default',
          credentialIndex: 0,
          accountSid: ACCOUNT_SID,
          bodySource: 'raw-body',
        },
        skew: 3,
        duration: expect.any(Number),
      });
      expect(decision.duration).toBeGreaterThan(0);
      expect(
        await observer.metrics.count(JAMBONZ_METRICS.decisions, {
          [A.transport]: 'http',
          [A.route]: CALL_ROUTE,
          [A.method]: 'POST',
          [A.outcome]: 'accepted',
          [A.verifiedBy]: 'both',
          [A.bodySource]: 'raw-body',
          [A.secretSet]: 'default',
          [A.secretIndex]: 0,
          [A.credentialsSet]: 'default',
          [A.credentialsIndex]: 0,
        }),
      ).toBe(1);
      expect(
        await observer.metrics.recordings(JAMBONZ_METRICS.duration, { [A.route]: CALL_ROUTE, [A.outcome]: 'accepted' }),
      ).toBe(1);
    });

    it('reports a GET authenticated by Basic alone', async () => {
      const { reply, decision } = await observer.decide('/call', {
        method: 'GET',
        headers: { authorization: basic(USER, PASS) },
      });
      expect(reply.status).toBe(200);
      expect(decision).toMatchObject({
        route: 'GetWebhookController.onGetCall',
        method: 'GET',
        outcome: 'accepted',
        auth: { verifiedBy: 'basic', credentialSet: 'default', credentialIndex: 0, secretIndex: undefined },
        skew: undefined,
      });
      expect(await observer.metrics.count(JAMBONZ_METRICS.decisions, { [A.method]: 'GET', [A.verifiedBy]: 'basic' })).toBe(1);
    });

    it.each([
      ['no credentials', () => delivery({ credentials: false }), 'missing_credentials'],
      ['credentials that do not parse', () => delivery({ credentials: 'Basic !!!' }), 'malformed_credentials'],
      ['a wrong password', () => delivery({ credentials: basic(USER, 'wrong') }), 'credentials_mismatch'],
      ['no signature', () => ({ headers: { ...JSON_TYPE, authorization: basic(USER, PASS) }, body: '{}' }), 'missing_signature'],
      [
        'a signature header that does not parse',
        () => ({ headers: { ...JSON_TYPE, authorization: basic(USER, PASS), 'jambonz-signature': 't=x' }, body: '{}' }),
        'malformed_signature',
      ],
      ['a stale signature', () => delivery({ timestamp: NOW - 400 }), 'timestamp_out_of_tolerance'],
      ['another secret', () => delivery({ secret: 'wh_secret_someoneElse000000' }), 'signature_mismatch'],
    ])('reports and counts a 401 for %s, with its reason', async (_what, request, reason) => {
      const before = await observer.metrics.count(JAMBONZ_METRICS.decisions, { [A.reason]: reason });
      const { reply, decision } = await observer.decide('/call', request());
      expect(reply.status).toBe(401);
      expect(decision).toMatchObject(refusal(CALL_ROUTE, 'POST', [reason]));
      expect(
        await observer.metrics.count(JAMBONZ_METRICS.decisions, {
          [A.route]: CALL_ROUTE,
          [A.outcome]: 'refused',
          [A.reason]: reason,
        }),
      ).toBe(before + 1);
    });

    it('reports the skew of a refused signature that parses, and none for one that does not', async () => {
      expect((await observer.decide('/call', delivery({ timestamp: NOW - 400 }))).decision.skew).toBe(400);
      expect((await observer.decide('/call', delivery({ timestamp: NOW + 400 }))).decision.skew).toBe(-400);
      const unsigned = { headers: { ...JSON_TYPE, authorization: basic(USER, PASS) }, body: '{}' };
      expect((await observer.decide('/call', unsigned)).decision.skew).toBeUndefined();
    });

    it('reports and counts a 409 for a replayed delivery', async () => {
      const signed = delivery();
      expect((await observer.decide('/call', signed)).reply.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 50)); // the claim is settled once the response has gone
      const { reply, decision } = await observer.decide('/call', signed);
      expect(reply.status).toBe(409);
      expect(decision).toMatchObject(refusal(CALL_ROUTE, 'POST', ['replay_detected']));
      expect(await observer.metrics.count(JAMBONZ_METRICS.decisions, { [A.reason]: 'replay_detected' })).toBe(1);
    });

    it('reports nothing for an OPTIONS discovery, which is not authenticated', async () => {
      const before = observer.decisions.length;
      expect((await send(`${observer.app.url}/call`, { method: 'OPTIONS' })).status).toBe(200);
      await dispatched();
      expect(observer.decisions).toHaveLength(before);
    });
  });

  describe('a failing replay store', () => {
    let observer: ObservedApp;
    const down = () => Promise.reject(new Error('store down'));
    const store: ReplayStore = { claim: down, renew: down, consume: down, release: down };
    beforeAll(async () => {
      observer = await observed(adapter, { secret: SECRET, replay: { store, timeout: 0.2 } }, 'raw-body', [WebhookController]);
    });
    afterAll(() => observer.close());

    it('reports and counts the 503', async () => {
      const { reply, decision } = await observer.decide('/call', delivery({ credentials: false }));
      expect(reply.status).toBe(503);
      expect(decision).toMatchObject(refusal(CALL_ROUTE, 'POST', ['replay_store_failed']));
      expect(await observer.metrics.count(JAMBONZ_METRICS.decisions, { [A.reason]: 'replay_store_failed' })).toBe(1);
    });
  });

  describe('a secret resolver', () => {
    let observer: ObservedApp;
    const resolver = ({ accountSid }: JambonzSecretResolverContext) => {
      if (accountSid === 'broken') throw new Error('database down');
      return accountSid === ACCOUNT_SID ? SECRET : undefined;
    };
    beforeAll(async () => {
      observer = await observed(adapter, { secretResolver: resolver }, 'raw-body', [WebhookController]);
    });
    afterAll(() => observer.close());

    it.each([
      ['an account it does not know', 'AC-unknown', 'no_secret'],
      ['an account it fails on', 'broken', 'secret_resolver_failed'],
    ])('reports and counts a 401 for %s', async (_what, accountSid, reason) => {
      const body = JSON.stringify({ ...payload, account_sid: accountSid });
      const headers = { ...JSON_TYPE, 'jambonz-signature': generateSignatureHeader(body, SECRET, { timestamp: NOW }) };
      const { reply, decision } = await observer.decide('/call', { headers, body });
      expect(reply.status).toBe(401);
      expect(decision).toMatchObject(refusal(CALL_ROUTE, 'POST', [reason]));
      expect(await observer.metrics.count(JAMBONZ_METRICS.decisions, { [A.reason]: reason })).toBe(1);
    });

    it("reports the resolver's secret by position, and the verified account", async () => {
      const { decision } = await observer.decide('/call', delivery({ credentials: false }));
      expect(decision.auth).toMatchObject({
        verifiedBy: 'signature',
        secretSet: 'default',
        secretIndex: 0,
        accountSid: ACCOUNT_SID,
      });
    });
  });

  describe("'either' with neither check passing", () => {
    let observer: ObservedApp;
    beforeAll(async () => {
      observer = await observed(adapter, { secret: SECRET, basicAuth: { username: USER, password: PASS }, require: 'either' });
    });
    afterAll(() => observer.close());

    it('reports both reasons, and counts them as one comma-separated reason', async () => {
      const { decision } = await observer.decide(
        '/call',
        delivery({ secret: 'wh_secret_someoneElse000000', credentials: false }),
      );
      expect(decision.reasons).toEqual(['missing_credentials', 'signature_mismatch']);
      expect(
        await observer.metrics.count(JAMBONZ_METRICS.decisions, { [A.reason]: 'missing_credentials,signature_mismatch' }),
      ).toBe(1);
    });
  });
});

describe('decisions of the module reading the body itself (Express without a body parser)', () => {
  // Fastify parses JSON itself even with bodyParser off: its own limits answer before the module.
  let observer: ObservedApp;
  beforeAll(async () => {
    observer = await observed('express', { secret: SECRET, maxBodyBytes: 2048 }, 'stream', [WebhookController]);
  });
  afterAll(() => observer.close());

  it.each([
    ['a body over maxBodyBytes', () => delivery({ credentials: false }), 413, 'body_too_large'],
    [
      'an authentic body that is not JSON',
      () => {
        const body = '{"call_sid":"abc"';
        return {
          headers: { ...JSON_TYPE, 'jambonz-signature': generateSignatureHeader(body, SECRET, { timestamp: NOW }) },
          body,
        };
      },
      400,
      'body_unreadable',
    ],
  ])('reports and counts %s', async (_what, request, status, reason) => {
    const { reply, decision } = await observer.decide('/call', request());
    expect(reply.status).toBe(status);
    expect(decision).toMatchObject(refusal(CALL_ROUTE, 'POST', [reason]));
    expect(await observer.metrics.count(JAMBONZ_METRICS.decisions, { [A.reason]: reason })).toBe(1);
  });

  it('reports the stream as the body source of an accepted request', async () => {
    const body = JSON.stringify({ call_sid: 'short' });
    const headers = { ...JSON_TYPE, 'jambonz-signature': generateSignatureHeader(body, SECRET, { timestamp: NOW }) };
    const { decision } = await observer.decide('/call', { headers, body });
    expect(decision.auth?.bodySource).toBe('stream');
    expect(await observer.metrics.count(JAMBONZ_METRICS.decisions, { [A.bodySource]: 'stream' })).toBe(1);
  });
});
