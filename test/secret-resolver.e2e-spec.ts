import {
  generateSignatureHeader,
  JambonzAuthModule,
  WELL_KNOWN_JAMBONZ_SECRET,
  type JambonzSecretResolverContext,
} from '../src/index.js';
import { ADAPTERS, startApp, type RunningApp } from './support/app.js';
import { WebhookController } from './support/controllers.js';
import { fixture } from './support/fixtures.js';
import { send } from './support/http.js';

// A secret resolver is application code that answers per request, for unauthenticated senders
// too: its answers obey the rules of a configured secret, a failing or hanging one refuses the
// request (401, never 5xx), and what it says about the sender reaches the log neutralised.

const SECRET = 'wh_secret_e2eResolverSuite001';
const { payload } = fixture('call-hook-outbound-rest');
const JSON_TYPE = { 'content-type': 'application/json' };

/** What the resolver answers for each account_sid. */
const ANSWERS: Record<string, () => unknown> = {
  good: () => SECRET,
  'answers-undefined-text': () => 'undefined',
  'answers-well-known': () => WELL_KNOWN_JAMBONZ_SECRET,
  'answers-padded': () => ` ${SECRET}`,
  'answers-invisible': () => '\u200b\u200b',
  'answers-a-number': () => 42,
  hangs: () => new Promise(() => undefined),
};

function resolver({ accountSid }: JambonzSecretResolverContext): string | undefined {
  const answer = accountSid === undefined ? undefined : ANSWERS[accountSid];
  if (answer) return answer() as string;
  // Built from the unverified account_sid, as application code often does.
  throw new Error(`no account ${accountSid}`);
}

/** A delivery for the account, signed with what the resolver answers for it when that is a string: what an attacker who knows it sends. */
const deliveryFor = (accountSid: string) => {
  const body = JSON.stringify({ ...payload, account_sid: accountSid });
  const answer = ANSWERS[accountSid]?.();
  const secret = typeof answer === 'string' && answer.trim() !== '' ? answer : SECRET;
  return { headers: { ...JSON_TYPE, 'jambonz-signature': generateSignatureHeader(body, secret) }, body };
};

describe.each(ADAPTERS)('the secret resolver on %s', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(
      adapter,
      'raw-body',
      [JambonzAuthModule.forRoot({ secretResolver: resolver, secretResolverTimeout: 0.2 })],
      [WebhookController],
    );
  });
  afterAll(() => app.close());

  const newLines = async (action: () => Promise<unknown>) => {
    const before = app.logs.lines.length;
    await action();
    return app.logs.lines.slice(before);
  };

  it('accepts what is signed with the secret it answers', async () => {
    expect((await send(`${app.url}/call`, deliveryFor('good'))).status).toBe(200);
  });

  it.each([
    ['answers-undefined-text', "is 'undefined', 'null', an unexpanded variable reference or the like"],
    ['answers-well-known', "is the default webhook secret of jambonz's open-source seed database"],
    ['answers-padded', 'has leading or trailing whitespace'],
    ['answers-invisible', 'holds only whitespace or invisible characters'],
  ])(
    'refuses requests of an account for which it answers an unusable secret (%s), reporting it once',
    async (account, problem) => {
      const lines = await newLines(async () => {
        for (let i = 0; i < 3; i++) {
          expect((await send(`${app.url}/call`, deliveryFor(account))).status).toBe(401);
        }
      });
      const errors = lines.filter((line) => line.startsWith('error'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`The secret resolver answered, for account ${account}, a secret that ${problem}`);
      expect(lines.filter((line) => line.includes('Refused POST /call: secret_resolver_failed'))).toHaveLength(3);
    },
  );

  it('refuses an account for which it answers something that is not a secret', async () => {
    const lines = await newLines(async () => {
      expect((await send(`${app.url}/call`, deliveryFor('answers-a-number'))).status).toBe(401);
    });
    expect(lines.join('\n')).toContain('answered, for account answers-a-number, something other than a secret');
  });

  it('refuses with 401 a request for which it does not answer in time, and says so', async () => {
    const lines = await newLines(async () => {
      expect((await send(`${app.url}/call`, deliveryFor('hangs'))).status).toBe(401);
    });
    expect(lines.join('\n')).toContain(
      'The secret resolver failed for account hangs: no answer within 0.2 s (secretResolverTimeout)',
    );
  });

  it('neutralises what the sender put in account_sid before it reaches a log line', async () => {
    const forged = 'x\r\nerror FORGED LINE\u001b[31m\u2028';
    const lines = await newLines(async () => {
      expect((await send(`${app.url}/call`, deliveryFor(forged))).status).toBe(401);
    });
    const text = lines.join('\n');
    expect(text).toContain('account x\\u000d\\u000aerror FORGED LINE\\u001b[31m\\u2028');
    // eslint-disable-next-line no-control-regex -- a raw CR or ESC in the log is what must not happen
    expect(text).not.toMatch(/[\r\u001b\u2028]/);
    expect(lines.some((line) => line.startsWith('error FORGED'))).toBe(false);
  });
});

describe('the secret resolver when the module reads the body itself (Express, bodyParser: false)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp('express', 'stream', [JambonzAuthModule.forRoot({ secretResolver: resolver })], [WebhookController]);
  });
  afterAll(() => app.close());

  it('picks the secret by the account_sid of the body it reads, and hands the handler that body', async () => {
    const reply = await send(`${app.url}/call`, deliveryFor('good'));
    expect(reply.status).toBe(200);
    expect((reply.json as Array<{ body?: { account_sid?: string } }>)[1]!.body?.account_sid).toBe('good');
  });
});
