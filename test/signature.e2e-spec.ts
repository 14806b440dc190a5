import { Controller, Post } from '@nestjs/common';
import {
  generateSignatureHeader,
  JAMBONZ_UNAUTHORIZED_MESSAGE,
  JambonzAuth,
  JambonzAuthModule,
  JambonzWebhook,
  type JambonzAuthContext,
  type RequestBodySource,
} from '../src/index.js';
import { ADAPTERS, BODY_SETUPS, startApp, type BodySetup, type RunningApp } from './support/app.js';
import { ClassWebhookController, ROUTE_CREDENTIALS, WebhookController } from './support/controllers.js';
import { fixture, fixtures, vectors } from './support/fixtures.js';
import { send } from './support/http.js';

const SECRET = 'wh_secret_e2eSignatureSuite01';
const OLD_SECRET = 'wh_secret_e2eSignatureSuite00';
const PARTNER_SECRET = 'wh_secret_e2eSignaturePartner';
const JSON_TYPE = { 'content-type': 'application/json' };

/** A hook of another jambonz account, which signs with its own webhook secret: a named set. */
@Controller('partner')
class PartnerController {
  @Post('call')
  @JambonzWebhook({ secrets: 'partner' })
  onCall(@JambonzAuth() auth: JambonzAuthContext) {
    return { auth };
  }
}

/**
 * Where the module finds the bytes in each set-up: on Fastify it copies them as Fastify reads the
 * body, whatever the set-up; on Express without rawBody only the re-serialised body is left.
 */
const EXPECTED_SOURCE: Record<string, Record<BodySetup, RequestBodySource>> = {
  express: { 'raw-body': 'raw-body', parsed: 'reserialized', stream: 'stream' },
  fastify: { 'raw-body': 'raw-body', parsed: 'raw-body', stream: 'raw-body' },
};

function signed(body: string, options: { secret?: string; timestamp?: number } = {}): Record<string, string> {
  return {
    ...JSON_TYPE,
    'jambonz-signature': generateSignatureHeader(body, options.secret ?? SECRET, { timestamp: options.timestamp }),
  };
}

const now = () => Math.floor(Date.now() / 1000);

describe.each(ADAPTERS)('signature verification on %s', (adapter) => {
  describe.each(BODY_SETUPS)('with body set-up %s', (setup) => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(
        adapter,
        setup,
        [
          JambonzAuthModule.forRoot({
            secret: SECRET,
            namedCredentials: { route: ROUTE_CREDENTIALS },
            // Without raw bytes (Express whose parser keeps none), only the fallback can verify.
            allowReserializedBody: EXPECTED_SOURCE[adapter]![setup] === 'reserialized',
          }),
        ],
        [WebhookController, ClassWebhookController],
      );
    });
    afterAll(() => app.close());

    it.each(fixtures.map((f) => [f.name, f] as const))(
      'accepts genuine %s with 200 and hands the handler the payload',
      async (_name, f) => {
        const reply = await send(`${app.url}/call`, { headers: signed(f.body), body: f.body });
        expect(reply.status).toBe(200);
        const [say, echo] = reply.json as [unknown, { body: unknown; auth: Record<string, unknown> }];
        expect(say).toEqual({ verb: 'say', text: 'hello' });
        expect(echo.body).toEqual(f.payload);
        expect(echo.auth).toEqual({
          verifiedBy: 'signature',
          timestamp: expect.any(Number),
          secretSet: 'default',
          secretIndex: 0,
          accountSid: f.payload.account_sid,
          bodySource: EXPECTED_SOURCE[adapter]![setup],
        });
      },
    );

    it('answers 200, not 201, where the decorator sits on the class', async () => {
      const { body } = fixture('gather-action-digits');
      const reply = await send(`${app.url}/class/hook`, { headers: signed(body), body });
      expect(reply.status).toBe(200);
    });

    it('keeps a status the route chose itself (204 on the status hook)', async () => {
      const { body } = fixture('call-status-completed');
      const reply = await send(`${app.url}/call-status`, { headers: signed(body), body });
      expect(reply.status).toBe(204);
    });
  });

  describe('forgeries', () => {
    let app: RunningApp;
    const { body } = fixture('call-hook-inbound');
    beforeAll(async () => {
      app = await startApp(adapter, 'raw-body', [JambonzAuthModule.forRoot({ secret: SECRET })], [WebhookController]);
    });
    afterAll(() => app.close());

    const header = (t = now()) => generateSignatureHeader(body, SECRET, { timestamp: t });
    const flipLastHex = (h: string) => h.slice(0, -1) + (h.endsWith('0') ? '1' : '0');
    const cases: Array<[string, () => { headers: Record<string, string>; body: string }, string]> = [
      [
        'the wrong secret',
        () => ({ headers: signed(body, { secret: 'wh_secret_notTheRightOne000' }), body }),
        'signature_mismatch',
      ],
      [
        'an altered body',
        () => ({ headers: signed(body), body: body.replace('+15555550142', '+15555550143') }),
        'signature_mismatch',
      ],
      ['a body with one more byte', () => ({ headers: signed(body), body: `${body} ` }), 'signature_mismatch'],
      [
        'an altered signature',
        () => ({ headers: { ...JSON_TYPE, 'jambonz-signature': flipLastHex(header()) }, body }),
        'signature_mismatch',
      ],
      [
        'a timestamp 301 s old',
        () => ({ headers: signed(body, { timestamp: now() - 301 }), body }),
        'timestamp_out_of_tolerance',
      ],
      [
        'a timestamp 301 s ahead',
        () => ({ headers: signed(body, { timestamp: now() + 301 }), body }),
        'timestamp_out_of_tolerance',
      ],
      ['no signature header', () => ({ headers: JSON_TYPE, body }), 'missing_signature'],
      ['an empty signature header', () => ({ headers: { ...JSON_TYPE, 'jambonz-signature': '' }, body }), 'missing_signature'],
      [
        'a header without v1',
        () => ({ headers: { ...JSON_TYPE, 'jambonz-signature': `t=${now()}` }, body }),
        'malformed_signature',
      ],
      [
        'a header without t',
        () => ({ headers: { ...JSON_TYPE, 'jambonz-signature': header().replace(/^t=\d+,/, '') }, body }),
        'malformed_signature',
      ],
      [
        'a v1 of the wrong length',
        () => ({ headers: { ...JSON_TYPE, 'jambonz-signature': header().slice(0, -2) }, body }),
        'malformed_signature',
      ],
      [
        'a non-hex v1',
        () => ({ headers: { ...JSON_TYPE, 'jambonz-signature': header().replace(/.$/, 'z') }, body }),
        'malformed_signature',
      ],
      [
        'a t that is not digits',
        () => ({ headers: { ...JSON_TYPE, 'jambonz-signature': header().replace(/^t=\d+/, 't=1e9') }, body }),
        'malformed_signature',
      ],
      [
        'a Stripe-style header of another scheme only',
        () => ({ headers: { ...JSON_TYPE, 'jambonz-signature': header().replace('v1=', 'v0=') }, body }),
        'malformed_signature',
      ],
    ];

    it.each(cases)('refuses %s with 401, a body that leaks nothing, and logs the reason', async (_name, build, reason) => {
      const request = build();
      const lines = app.logs.lines.length;
      const reply = await send(`${app.url}/call`, request);
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual({ statusCode: 401, message: JAMBONZ_UNAUTHORIZED_MESSAGE, error: 'Unauthorized' });
      expect(reply.text).not.toContain(SECRET);
      expect(reply.headers.get('www-authenticate')).toBeNull();
      expect(app.logs.lines.slice(lines).join('\n')).toContain(`warn Refused POST /call: ${reason}`);
    });

    it('leaves routes without the decorator alone', async () => {
      const reply = await send(`${app.url}/unprotected`, { headers: JSON_TYPE, body });
      expect(reply.status).toBe(201);
    });
  });

  describe('rotation and the vectors', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(
        adapter,
        'raw-body',
        [JambonzAuthModule.forRoot({ secret: [SECRET, OLD_SECRET, vectors.secret], clock: () => vectors.timestamp + 299 })],
        [WebhookController],
      );
    });
    afterAll(() => app.close());

    it.each([SECRET, OLD_SECRET])('accepts a request signed with any configured secret (%s)', async (secret) => {
      const { body } = fixture('dial-action');
      const reply = await send(`${app.url}/action/dial`, {
        headers: signed(body, { secret, timestamp: vectors.timestamp }),
        body,
      });
      expect(reply.status).toBe(200);
    });

    it.each(vectors.vectors.map((v) => [v.file, v] as const))(
      'accepts the published vector of %s at its time',
      async (file, vector) => {
        const { body } = fixture(file.replace(/\.json$/, ''));
        const reply = await send(`${app.url}/action/vector`, {
          headers: { ...JSON_TYPE, 'jambonz-signature': vector.header },
          body,
        });
        expect(reply.status).toBe(200);
      },
    );

    it('uses the injected clock: a vector 301 s before it is refused', async () => {
      const vector = vectors.vectors[0]!;
      const { body } = fixture(vector.file.replace(/\.json$/, ''));
      const stale = generateSignatureHeader(body, SECRET, { timestamp: vectors.timestamp - 2 });
      const reply = await send(`${app.url}/action/vector`, { headers: { ...JSON_TYPE, 'jambonz-signature': stale }, body });
      expect(reply.status).toBe(401);
    });
  });

  describe('a route that names a secret set', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(
        adapter,
        'raw-body',
        [JambonzAuthModule.forRoot({ secret: SECRET, namedSecrets: { partner: PARTNER_SECRET } })],
        [WebhookController, PartnerController],
      );
    });
    afterAll(() => app.close());

    it("accepts its set's secret, saying which set, and refuses the default one", async () => {
      const { body } = fixture('call-hook-inbound');
      const partner = await send(`${app.url}/partner/call`, { headers: signed(body, { secret: PARTNER_SECRET }), body });
      expect(partner.status).toBe(200);
      expect(partner.json).toEqual({ auth: expect.objectContaining({ secretSet: 'partner', secretIndex: 0 }) });
      const other = await send(`${app.url}/partner/call`, { headers: signed(body), body });
      expect(other.status).toBe(401);
      expect(app.logs.lines.at(-1)).toContain('Refused POST /partner/call: signature_mismatch');
    });

    it("refuses the set's secret on a route that names no set", async () => {
      const { body } = fixture('call-hook-inbound');
      expect((await send(`${app.url}/call`, { headers: signed(body, { secret: PARTNER_SECRET }), body })).status).toBe(401);
      expect((await send(`${app.url}/call`, { headers: signed(body), body })).status).toBe(200);
    });
  });
});
