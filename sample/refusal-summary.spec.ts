import { JAMBONZ_ENV, signWebhook, TEST_CREDENTIALS } from 'nestjs-jambonz-auth/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CapturedLogs } from '../test/support/captured-logs.js';
import { fixture } from '../test/support/fixtures.js';
import { basic, send } from '../test/support/http.js';
import { createSampleApp } from './create-app.js';
import { RefusalSummary } from './refusal-summary.service.js';

// The sample's one-line summary of refusals per minute, fed by the module's onDecision listener.
// The minute timer calls flush(); the tests call it directly (no waiting on real time).

const SECRET = 'wh_secret_sampleRefusalSummary';
const call = fixture('call-hook-inbound');

describe('the sample app summary of refusals', () => {
  let app: NestExpressApplication;
  let url: string;
  const logs = new CapturedLogs();
  const summaries = () => logs.entries.filter((e) => e.context === 'RefusalSummary').map((e) => `${e.level} ${e.message}`);

  beforeAll(async () => {
    const saved = process.env[JAMBONZ_ENV.secret];
    process.env[JAMBONZ_ENV.secret] = SECRET;
    try {
      app = await createSampleApp(logs);
    } finally {
      if (saved === undefined) delete process.env[JAMBONZ_ENV.secret];
      else process.env[JAMBONZ_ENV.secret] = saved;
    }
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(() => app.close());

  const post = (path: string, secret: string, credentials = true) => {
    const { body, headers } = signWebhook(call.payload, { secret, ...(credentials ? { basicAuth: TEST_CREDENTIALS } : {}) });
    return send(`${url}${path}`, { headers, body });
  };
  /** Lets the decisions reach the listener (they go out after the current I/O phase). */
  const dispatched = () => new Promise((resolve) => setImmediate(resolve));

  it('logs nothing when nothing was refused', async () => {
    expect((await post('/call', SECRET)).status).toBe(200);
    await dispatched();
    app.get(RefusalSummary).flush();
    expect(summaries()).toEqual([]);
  });

  it('logs one line with the refusals by reason and by route, then starts over', async () => {
    expect((await post('/call', 'wh_secret_notTheRightOne00')).status).toBe(401);
    expect((await post('/call', 'wh_secret_notTheRightOne00')).status).toBe(401);
    expect((await post('/action/gather', SECRET, false)).status).toBe(401);
    expect((await send(`${url}/call`, { method: 'GET', headers: { authorization: basic('jambonz', 'nope') } })).status).toBe(401);
    expect((await post('/call', SECRET)).status).toBe(200);
    await dispatched();
    const summary = app.get(RefusalSummary);
    summary.flush();
    summary.flush();
    expect(summaries()).toEqual([
      'log Refused 4 webhooks in the last minute: signature_mismatch 2, missing_credentials 1, credentials_mismatch 1 ' +
        '(CallController.onCall 2, CallController.onAction 1, CallController.onGetCall 1)',
    ]);
  });

  it('says "webhook" for one', async () => {
    expect((await post('/call', 'wh_secret_notTheRightOne00')).status).toBe(401);
    await dispatched();
    app.get(RefusalSummary).flush();
    expect(summaries().at(-1)).toBe('log Refused 1 webhook in the last minute: signature_mismatch 1 (CallController.onCall 1)');
  });
});
