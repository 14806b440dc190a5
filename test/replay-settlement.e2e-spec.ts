import {
  BadRequestException,
  Controller,
  Get,
  Injectable,
  Post,
  RequestTimeoutException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, throwError, timeout } from 'rxjs';
import { generateSignatureHeader, JambonzAuthModule, JambonzWebhook, MemoryReplayStore, type ReplayStore } from '../src/index.js';
import { ADAPTERS, startApp, type RunningApp } from './support/app.js';
import { deliveries } from './support/deliveries.js';
import { basic, send } from './support/http.js';

// How the guard's claim is settled once the response is sent, seen from the store: exactly one
// consume after a success, one release after a failure or an abandoned handler, nothing for a
// request that claimed nothing, and the handler's own error passed on unchanged. Settling waits
// for no one: the response goes out first (jambonz's first retry comes 0.5 s later at the earliest).

const SECRET = 'wh_secret_e2eSettlement00001';
const CREDENTIALS = { username: 'u', password: 'p' };
const delivery = deliveries('call-status-completed', SECRET, CREDENTIALS);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A memory store that records each call and answers consume and release only after `delayMs`, as a remote store would. */
class SlowRecordingStore implements ReplayStore {
  readonly calls: string[] = [];
  /** The `ttlMs` of each consume, in order. */
  readonly consumedTtls: number[] = [];
  private readonly inner = new MemoryReplayStore();
  constructor(private readonly delayMs: number) {}
  claim(key: string, token: string, leaseMs: number) {
    this.calls.push('claim');
    return this.inner.claim(key, token, leaseMs);
  }
  renew(key: string, token: string, leaseMs: number) {
    this.calls.push('renew');
    this.inner.renew(key, token, leaseMs);
  }
  async consume(key: string, ttlMs: number) {
    this.calls.push('consume');
    this.consumedTtls.push(ttlMs);
    await sleep(this.delayMs);
    this.inner.consume(key, ttlMs);
  }
  async release(key: string, token: string) {
    this.calls.push('release');
    await sleep(this.delayMs);
    this.inner.release(key, token);
  }
}

@Controller('settle')
@JambonzWebhook()
class SettlementController {
  @Post('ok')
  ok() {
    return [];
  }

  @Get('ok')
  okByGet() {
    return [];
  }

  @Post('bad-request')
  badRequest() {
    throw new BadRequestException('call_sid is missing');
  }

  @Post('slow')
  async slow() {
    await sleep(300);
    return [];
  }

  @Post('opted-out')
  @JambonzWebhook({ replay: false })
  optedOut() {
    return [];
  }
}

/**
 * An app's own global interceptor that gives up on the slow handler after 100 ms, unsubscribing
 * from it (a common Nest recipe for request timeouts).
 */
@Injectable()
class GiveUpAfter100ms implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    if (context.getHandler().name !== 'slow') return next.handle();
    return next.handle().pipe(
      timeout(100),
      catchError(() => throwError(() => new RequestTimeoutException())),
    );
  }
}

describe.each(ADAPTERS)('settling replay claims on %s', (adapter) => {
  let app: RunningApp;
  const store = new SlowRecordingStore(100);
  beforeAll(async () => {
    app = await startApp(
      adapter,
      'raw-body',
      [
        // A secret and credentials: require defaults to 'both', as jambonz sends both headers.
        JambonzAuthModule.forRoot({ secret: SECRET, basicAuth: CREDENTIALS, replay: { store } }),
      ],
      [SettlementController],
      (nest) => nest.useGlobalInterceptors(new GiveUpAfter100ms()),
    );
  });
  afterAll(() => app.close());
  beforeEach(() => {
    store.calls.length = 0;
    store.consumedTtls.length = 0;
  });

  it("remembers a signature whose t runs ahead of this server's clock until the tolerance refuses it", async () => {
    const ahead = Math.floor(Date.now() / 1000) + 200;
    const { body, headers } = delivery();
    const signed = { ...headers, 'jambonz-signature': generateSignatureHeader(body, SECRET, { timestamp: ahead }) };
    expect((await send(`${app.url}/settle/ok`, { headers: signed, body })).status).toBe(200);
    // Acceptable until t + 300 s, i.e. about 500 s from now: longer than the 375 s default.
    expect(store.consumedTtls).toHaveLength(1);
    expect(store.consumedTtls[0]).toBeGreaterThanOrEqual(499_000);
    expect(store.consumedTtls[0]).toBeLessThanOrEqual(502_000);
  });

  it('consumes the signature once after a handler that succeeded', async () => {
    const request = delivery();
    const first = await send(`${app.url}/settle/ok`, request);
    await sleep(150);
    const again = await send(`${app.url}/settle/ok`, request);
    expect([first.status, again.status]).toEqual([200, 409]);
    expect(store.calls).toEqual(['claim', 'consume', 'claim']);
  });

  it("passes the handler's own error on, and releases the signature, so the retry is accepted", async () => {
    const request = delivery();
    const failed = await send(`${app.url}/settle/bad-request`, request);
    expect(failed.status).toBe(400);
    expect(failed.json).toEqual({ statusCode: 400, message: 'call_sid is missing', error: 'Bad Request' });
    expect(store.calls).toEqual(['claim', 'release']);
    await sleep(150);
    const retry = await send(`${app.url}/settle/bad-request`, request);
    expect(retry.status).toBe(400);
  });

  it('releases the signature of a handler that was given up on, so the retry is not taken for a duplicate', async () => {
    const request = delivery();
    const abandoned = await send(`${app.url}/settle/slow`, request);
    expect(abandoned.status).toBe(408);
    await sleep(150);
    expect(store.calls).toEqual(['claim', 'release']);
    const retry = await send(`${app.url}/settle/slow`, request);
    expect(retry.status).toBe(408);
    await sleep(400);
  });

  it('touches the store for neither a route that opted out nor a GET hook, which Basic alone authenticates', async () => {
    const request = delivery();
    const optedOut = await send(`${app.url}/settle/opted-out`, request);
    const byBasic = await send(`${app.url}/settle/ok`, { method: 'GET', headers: { authorization: basic('u', 'p') } });
    expect([optedOut.status, byBasic.status]).toEqual([200, 200]);
    await sleep(150);
    expect(store.calls).toEqual([]);
    expect(app.logs.lines.filter((line) => line.includes('Replay store failed'))).toEqual([]);
  });
});
