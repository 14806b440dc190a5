import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  generateSignatureHeader,
  JambonzAuthModule,
  JambonzUnauthorizedException,
  MemoryReplayStore,
  type JambonzAuthDecision,
} from '../src/index.js';
import { ADAPTERS, startApp, type RunningApp } from './support/app.js';
import { WebhookController } from './support/controllers.js';
import { fixture } from './support/fixtures.js';
import { basic, send } from './support/http.js';
import { dispatched } from './support/metrics.js';

// A custom refusal, as the README shows it: an exception filter on JambonzUnauthorizedException
// that writes the app's own error format. The guard has decided before the filter runs, so the
// filter changes the body and nothing else: the status, the WWW-Authenticate challenge the guard
// set, the log line and the decision stay.

const SECRET = 'wh_secret_e2eCustomRefusal01';
const CREDENTIALS = { username: 'jambonz', password: 'p:ss wörd' };
const { body } = fixture('call-hook-inbound');

/** The README's filter: the app's error format, and no reason. */
@Catch(JambonzUnauthorizedException)
class JambonzRefusalFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: JambonzUnauthorizedException, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<unknown>();
    this.adapterHost.httpAdapter.reply(response, { error: { code: 'UNAUTHENTICATED' } }, exception.getStatus());
  }
}

/** The README's variant for an app that explicitly asks for the reason codes in the body. */
@Catch(JambonzUnauthorizedException)
class JambonzRefusalWithReasonsFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: JambonzUnauthorizedException, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<unknown>();
    this.adapterHost.httpAdapter.reply(
      response,
      { error: { code: 'UNAUTHENTICATED', reasons: exception.reasons } },
      exception.getStatus(),
    );
  }
}

describe.each(ADAPTERS)('a custom refusal on %s', (adapter) => {
  const signed = (secret = SECRET, password = CREDENTIALS.password) => ({
    headers: {
      'content-type': 'application/json',
      'jambonz-signature': generateSignatureHeader(body, secret),
      authorization: basic(CREDENTIALS.username, password),
    },
    body,
  });

  describe('through an exception filter', () => {
    let app: RunningApp;
    const decisions: JambonzAuthDecision[] = [];
    beforeAll(async () => {
      app = await startApp(
        adapter,
        'raw-body',
        [
          JambonzAuthModule.forRoot({
            secret: SECRET,
            basicAuth: CREDENTIALS,
            replay: { store: new MemoryReplayStore() },
            onDecision: (decision) => void decisions.push(decision),
          }),
        ],
        [WebhookController],
        (nest) => nest.useGlobalFilters(new JambonzRefusalFilter(nest.get(HttpAdapterHost))),
      );
    });
    afterAll(() => app.close());

    it('answers the 401 in the app format, keeping the challenge, the log line and the decision', async () => {
      const reply = await send(`${app.url}/call`, signed(SECRET, 'wrong'));
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual({ error: { code: 'UNAUTHENTICATED' } });
      expect(reply.headers.get('www-authenticate')).toBe('Basic realm="jambonz", charset="UTF-8"');
      expect(reply.text).not.toContain('credentials_mismatch');
      expect(app.logs.lines).toContain('warn Refused POST /call: credentials_mismatch JambonzAuthGuard');
      await dispatched();
      expect(decisions.at(-1)).toMatchObject({ outcome: 'refused', reasons: ['credentials_mismatch'] });
    });

    it('lets nothing more through: a forged signature is still refused, a genuine request still passes', async () => {
      expect((await send(`${app.url}/call`, signed('wh_secret_someoneElse000000'))).status).toBe(401);
      const genuine = signed();
      const accepted = await send(`${app.url}/call`, genuine);
      expect(accepted.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 50)); // the claim is settled once the response has gone
      const replayed = await send(`${app.url}/call`, genuine);
      expect([replayed.status, (replayed.json as { message?: string }).message]).toEqual([409, 'Duplicate jambonz webhook']);
    });
  });

  describe('through a filter that asks for the reasons', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(
        adapter,
        'raw-body',
        [JambonzAuthModule.forRoot({ secret: SECRET, basicAuth: CREDENTIALS })],
        [WebhookController],
        (nest) => nest.useGlobalFilters(new JambonzRefusalWithReasonsFilter(nest.get(HttpAdapterHost))),
      );
    });
    afterAll(() => app.close());

    it('sends the reason codes, and never a secret or an expected value', async () => {
      const reply = await send(`${app.url}/call`, signed('wh_secret_someoneElse000000'));
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual({ error: { code: 'UNAUTHENTICATED', reasons: ['signature_mismatch'] } });
    });
  });
});
