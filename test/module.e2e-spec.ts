import { Body, Controller, Module, Post } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import {
  generateSignatureHeader,
  JambonzAuthConfigError,
  JambonzAuthModule,
  JambonzGlobalGuard,
  JambonzWebhook,
  WELL_KNOWN_JAMBONZ_SECRET,
} from '../src/index.js';
import { ADAPTERS, createApp, startApp, type RunningApp } from './support/app.js';
import { ClassWebhookController, ROUTE_CREDENTIALS, WebhookController } from './support/controllers.js';
import { fixture } from './support/fixtures.js';
import { send } from './support/http.js';

const SECRET = 'wh_secret_e2eModuleSuite00001';
const { body } = fixture('gather-action-speech');
const signed = (secret = SECRET) => ({
  'content-type': 'application/json',
  'jambonz-signature': generateSignatureHeader(body, secret),
});

@Controller('feature')
class FeatureController {
  @Post('hook')
  @JambonzWebhook()
  onHook(@Body() payload: unknown) {
    return [{ verb: 'echo', payload }];
  }
}

@Module({ controllers: [FeatureController] })
class FeatureModule {}

/** One handler inherited by two controllers whose class options differ. */
class BaseHookController {
  @Post('hook')
  onHook() {
    return [];
  }
}

@Controller('signed')
@JambonzWebhook({ require: 'signature' })
class SignedHookController extends BaseHookController {}

@Controller('basic')
@JambonzWebhook({ require: 'basic', credentials: 'inherited' })
class BasicHookController extends BaseHookController {}

const INHERITED = { username: 'inherited', password: 'inherited-pass' };

describe.each(ADAPTERS)('JambonzAuthModule on %s', (adapter) => {
  it("applies each controller's options to a handler they inherit", async () => {
    const app = await startApp(
      adapter,
      'raw-body',
      [JambonzAuthModule.forRoot({ secret: SECRET, namedCredentials: { inherited: INHERITED } })],
      [SignedHookController, BasicHookController],
    );
    try {
      const signedHeaders = signed();
      const authorization = `Basic ${Buffer.from('inherited:inherited-pass').toString('base64')}`;
      const statuses = [
        (await send(`${app.url}/signed/hook`, { headers: signedHeaders, body })).status,
        (await send(`${app.url}/basic/hook`, { headers: signedHeaders, body })).status,
        (await send(`${app.url}/basic/hook`, { headers: { authorization }, body })).status,
        (await send(`${app.url}/signed/hook`, { headers: { authorization }, body })).status,
      ];
      expect(statuses).toEqual([200, 401, 200, 401]);
    } finally {
      await app.close();
    }
  });

  describe('forRootAsync from ConfigService', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(
        adapter,
        'raw-body',
        [
          JambonzAuthModule.forRootAsync({
            imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ JAMBONZ_WEBHOOK_SECRET: SECRET })] })],
            inject: [ConfigService],
            useFactory: (config: ConfigService) => ({ secret: config.getOrThrow<string>('JAMBONZ_WEBHOOK_SECRET') }),
          }),
        ],
        [WebhookController],
      );
    });
    afterAll(() => app.close());

    it('accepts what is signed with the configured secret and refuses the rest', async () => {
      const genuine = await send(`${app.url}/action/gather`, { headers: signed(), body });
      const forged = await send(`${app.url}/action/gather`, { headers: signed('wh_secret_someoneElse000000'), body });
      expect([genuine.status, forged.status]).toEqual([200, 401]);
    });
  });

  describe('isGlobal', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(
        adapter,
        'raw-body',
        [JambonzAuthModule.forRoot({ secret: SECRET, isGlobal: true }), FeatureModule],
        [],
      );
    });
    afterAll(() => app.close());

    it("protects a feature module's routes without importing the module there", async () => {
      const genuine = await send(`${app.url}/feature/hook`, { headers: signed(), body });
      const forged = await send(`${app.url}/feature/hook`, { headers: signed('wh_secret_someoneElse000000'), body });
      expect([genuine.status, forged.status]).toEqual([200, 401]);
    });

    it('is required for that: without it the app does not boot, and the error says to import the module or set isGlobal', async () => {
      const attempt = createApp(adapter, 'raw-body', [JambonzAuthModule.forRoot({ secret: SECRET }), FeatureModule], []);
      await expect(attempt).rejects.toThrow(JambonzAuthConfigError);
      await expect(attempt).rejects.toThrow(
        /JambonzAuthGuard cannot reach JambonzAuthModule's configuration\. Import JambonzAuthModule.*isGlobal: true/,
      );
    });

    it('is required for the global guard too, with the same explanation', async () => {
      @Module({ providers: [{ provide: APP_GUARD, useClass: JambonzGlobalGuard }] })
      class GuardModule {}
      const attempt = createApp(adapter, 'raw-body', [JambonzAuthModule.forRoot({ secret: SECRET }), GuardModule], []);
      await expect(attempt).rejects.toThrow(/JambonzGlobalGuard cannot reach JambonzAuthModule's configuration/);
    });

    it('goes beside the factory: returned by the factory, it stops the app saying where it belongs', async () => {
      const attempt = createApp(
        adapter,
        'raw-body',
        [JambonzAuthModule.forRootAsync({ useFactory: () => ({ secret: SECRET, isGlobal: true }) as never })],
        [WebhookController],
      );
      await expect(attempt).rejects.toThrow(
        "options has the key 'isGlobal', which is not an option of the module: it goes beside the factory, " +
          'JambonzAuthModule.forRootAsync({ isGlobal: true, useFactory, inject })',
      );
    });
  });

  describe('refuses to boot with bad options, naming what to set', () => {
    const basicAuth = { username: 'u', password: 'p' };
    it.each<[string, unknown, RegExp]>([
      ['no options at all', {}, /nothing to authenticate with. Set secret/],
      ['an empty secret', { secret: '' }, /options\.secret is empty/],
      ['an empty list of secrets', { secret: [] }, /non-empty array/],
      ['an empty secret in a list', { secret: [SECRET, ''] }, /options\.secret\[1\] is empty/],
      [
        'a secret with a trailing newline',
        { secret: `${SECRET}\n` },
        /options\.secret has leading or trailing whitespace, an invisible character or a line break.*allowSecretWhitespace/,
      ],
      ['a secret with a leading space', { secret: [` ${SECRET}`] }, /options\.secret\[0\] has leading/],
      // What an unset environment variable becomes: `${process.env.UNSET}`, a YAML null, `,` split.
      [
        'the secret "undefined"',
        { secret: 'undefined' },
        /options\.secret is 'undefined', 'null', an unexpanded variable reference or the like.*not set/,
      ],
      ['the secret "null"', { secret: ['null'] }, /options\.secret\[0\] is 'undefined', 'null'/],
      [
        'a secret of invisible characters',
        { secret: '\u200b\u200b\ufeff' },
        /options\.secret holds only whitespace or invisible/,
      ],
      ['a secret key present but undefined', { secret: undefined, basicAuth }, /options\.secret is undefined: the variable/],
      [
        'the password "undefined"',
        { basicAuth: { username: 'jambonz', password: 'undefined' } },
        /options\.basicAuth has a username or password 'undefined'/,
      ],
      ['a tolerance of 1e300', { secret: SECRET, tolerance: 1e300 }, /options\.tolerance must be .*at most 3600/],
      ['a tolerance of two hours', { secret: SECRET, tolerance: 7200 }, /at most 3600/],
      [
        'a clock in milliseconds',
        { secret: SECRET, clock: () => Date.now() },
        /options\.clock must return the Unix time in seconds.*milliseconds\? divide by 1000/,
      ],
      [
        'a clock that throws',
        {
          secret: SECRET,
          clock: () => {
            throw new Error('x');
          },
        },
        /options\.clock must return/,
      ],
      ['an empty named set', { secret: SECRET, namedCredentials: {} }, /options\.namedCredentials is empty/],
      ["a set named 'default'", { secret: SECRET, namedSecrets: { default: SECRET } }, /'default' is reserved/],
      [
        'a named credential set read from an unset variable',
        { secret: SECRET, namedCredentials: { status: { username: 'status', password: 'undefined' } } },
        /options\.namedCredentials\.status has a username or password 'undefined'/,
      ],
      [
        "jambonz's well-known default secret",
        { secret: WELL_KNOWN_JAMBONZ_SECRET },
        /default webhook secret.*allowWellKnownSecret/,
      ],
      [
        'a zero tolerance',
        { secret: SECRET, tolerance: 0 },
        /options\.tolerance must be a positive number of seconds, at most 3600 \(got 0\)/,
      ],
      ['a negative tolerance', { secret: SECRET, tolerance: -5 }, /options\.tolerance must be a positive number/],
      [
        'a tolerance given as a string',
        { secret: SECRET, tolerance: '300' },
        /options\.tolerance must be a positive number of seconds, at most 3600 \(got "300"\)/,
      ],
      ['an infinite tolerance', { secret: SECRET, tolerance: Infinity }, /options\.tolerance/],
      ['an unknown option', { secrets: SECRET }, /unknown key 'secrets'/],
      ['an unknown require', { secret: SECRET, require: 'all' }, /options\.require must be one of/],
      [
        "require 'both' without credentials",
        { secret: SECRET, require: 'both' },
        /options\.require is 'both', which needs Basic credentials/,
      ],
      ["require 'signature' without a secret", { basicAuth, require: 'signature' }, /needs a webhook secret/],
      [
        'an empty username',
        { basicAuth: { username: '', password: 'p' } },
        /options\.basicAuth\.username must be a non-empty string/,
      ],
      ['a username with a colon', { basicAuth: { username: 'a:b', password: 'p' } }, /without ':'/],
      ['an empty password', { basicAuth: [{ username: 'u', password: '' }] }, /options\.basicAuth\[0\]\.password/],
      [
        'a password pasted with its newline',
        { basicAuth: { username: 'u', password: 'p\n' } },
        /options\.basicAuth contains a control character/,
      ],
      [
        'a secret and a resolver',
        { secret: SECRET, secretResolver: () => SECRET },
        /either options\.secret or options\.secretResolver/,
      ],
      ['a zero body limit', { secret: SECRET, maxBodyBytes: 0 }, /options\.maxBodyBytes/],
      ['a realm with a quote', { secret: SECRET, realm: 'a"b' }, /options\.realm/],
      ['a clock that is not a function', { secret: SECRET, clock: 5 }, /options\.clock/],
      [
        'a flag that is not a boolean',
        { secret: SECRET, allowReserializedBody: 'yes' },
        /options\.allowReserializedBody must be true or false/,
      ],
    ])('%s', async (_name, options, message) => {
      const attempt = createApp(adapter, 'raw-body', [JambonzAuthModule.forRoot(options as never)], [WebhookController]);
      await expect(attempt).rejects.toThrow(JambonzAuthConfigError);
      await expect(attempt).rejects.toThrow(message);
    });

    it('refuses a route that asks for a check the module has no material for, when the app initialises', async () => {
      @Controller()
      class BasicOnlyController {
        @Post('status')
        @JambonzWebhook({ require: 'basic' })
        onStatus() {}
      }
      const { app } = await createApp(
        adapter,
        'raw-body',
        [JambonzAuthModule.forRoot({ secret: SECRET })],
        [BasicOnlyController],
      );
      await expect(app.init()).rejects.toThrow(
        "JambonzAuthModule: BasicOnlyController.onStatus.require is 'basic', which needs Basic credentials: set basicAuth",
      );
    });

    it("accepts a route's named credential set as material", async () => {
      const { app } = await createApp(
        adapter,
        'raw-body',
        [JambonzAuthModule.forRoot({ secret: SECRET, namedCredentials: { route: ROUTE_CREDENTIALS } })],
        [ClassWebhookController],
      );
      await app.init();
      await app.close();
    });

    it('takes named sets alone, authenticating the routes that name one and stopping at a route that names none', async () => {
      @Controller()
      class StatusOnlyController {
        @Post('status')
        @JambonzWebhook({ credentials: 'status' })
        onStatus() {}
      }
      const named = [JambonzAuthModule.forRoot({ namedCredentials: { status: ROUTE_CREDENTIALS } })];
      const app = await startApp(adapter, 'raw-body', named, [StatusOnlyController]);
      try {
        const basic = (user: string) => `Basic ${Buffer.from(`${user}:${ROUTE_CREDENTIALS.password}`).toString('base64')}`;
        const headers = { 'content-type': 'application/json' };
        const genuine = await send(`${app.url}/status`, { headers: { ...headers, authorization: basic('route-user') }, body });
        const forged = await send(`${app.url}/status`, { headers: { ...headers, authorization: basic('someone') }, body });
        expect([genuine.status, forged.status]).toEqual([200, 401]);
      } finally {
        await app.close();
      }
      const { app: unnamed } = await createApp(adapter, 'raw-body', named, [FeatureController]);
      await expect(unnamed.init()).rejects.toThrow(
        'FeatureController.onHook has nothing to authenticate with: the module has no default secret or credentials. Name a set',
      );
    });

    it('refuses a route that names a set the module does not have, listing the known ones', async () => {
      const { app } = await createApp(
        adapter,
        'raw-body',
        [
          JambonzAuthModule.forRoot({
            secret: SECRET,
            namedCredentials: { status: ROUTE_CREDENTIALS, audio: ROUTE_CREDENTIALS },
          }),
        ],
        [ClassWebhookController],
      );
      await expect(app.init()).rejects.toThrow(
        "ClassWebhookController.onBasic.credentials names the set 'route', which JambonzAuthModule's options do not have " +
          "(known: 'status', 'audio'). Add it to namedCredentials (from ConfigService), or fix the name.",
      );
      await app.close();
    });

    it('does not echo a secret pasted where a set name belongs', async () => {
      @Controller()
      class PastedController {
        @Post('hook')
        @JambonzWebhook({ secrets: SECRET })
        onHook() {}
      }
      const { app } = await createApp(adapter, 'raw-body', [JambonzAuthModule.forRoot({ secret: SECRET })], [PastedController]);
      const error = await app.init().catch((e: Error) => e);
      expect(String(error)).toContain(
        "PastedController.onHook.secrets names the set, which JambonzAuthModule's options do not have (known: 'default')",
      );
      expect(String(error)).not.toContain(SECRET);
      await app.close();
    });

    it('never puts the secret in the message', async () => {
      const pasted = `${SECRET} `;
      const error = await createApp(
        adapter,
        'raw-body',
        [JambonzAuthModule.forRoot({ secret: pasted })],
        [WebhookController],
      ).catch((e: Error) => e);
      expect(String((error as Error).message)).not.toContain(SECRET);
    });

    it('refuses options from forRootAsync the same way', async () => {
      const attempt = createApp(
        adapter,
        'raw-body',
        [JambonzAuthModule.forRootAsync({ useFactory: async () => ({ secret: '' }) })],
        [WebhookController],
      );
      await expect(attempt).rejects.toThrow(/options\.secret is empty/);
    });

    it('accepts the well-known secret and a padded secret only when told to', async () => {
      const options = {
        secret: [WELL_KNOWN_JAMBONZ_SECRET, ` ${SECRET}`],
        allowWellKnownSecret: true,
        allowSecretWhitespace: true,
      };
      const { app } = await createApp(adapter, 'raw-body', [JambonzAuthModule.forRoot(options)], [WebhookController]);
      await app.init();
      await app.close();
    });
  });

  it('refuses a bad per-route option when the class is declared', () => {
    expect(() => {
      @Controller()
      class BadController {
        @Post()
        @JambonzWebhook({ tolerance: -1 })
        hook() {}
      }
      return BadController;
    }).toThrow(/@JambonzWebhook\(\) on BadController\.hook\.tolerance must be a positive number/);
    expect(() => JambonzWebhook({ required: 'basic' } as never)(class Named {})).toThrow(/unknown key 'required'/);
  });

  it('explains, when the class is declared, that decorator arguments cannot come from configuration', () => {
    const unset = process.env.JAMBONZ_TEST_UNSET_VARIABLE;
    expect(() => JambonzWebhook({ credentials: unset })(class StatusController {})).toThrow(
      '@JambonzWebhook() on StatusController: credentials is undefined. Decorator arguments are evaluated when the file ' +
        'is imported, before ConfigModule loads .env',
    );
    expect(() =>
      JambonzWebhook({ basicAuth: { username: 'status', password: unset } } as never)(class StatusController {}),
    ).toThrow(/basicAuth is not a route option.*add them to namedCredentials.*\{ credentials: 'name' \}/);
  });
});

describe.each(ADAPTERS)('JambonzAuthModule imported as the bare class on %s', (adapter) => {
  it('stops the app saying to import forRoot()/forRootAsync() once, with isGlobal', async () => {
    @Module({ imports: [JambonzAuthModule], controllers: [FeatureController] })
    class BareImportModule {}
    const attempt = createApp(adapter, 'raw-body', [JambonzAuthModule.forRoot({ secret: SECRET }), BareImportModule], []);
    await expect(attempt).rejects.toThrow(
      'JambonzAuthModule: it has no options: it was imported as the bare class, without forRoot, or ',
    );
  });

  it("stops the app the same way when forRootAsync's factory returns nothing", async () => {
    const attempt = createApp(adapter, 'raw-body', [JambonzAuthModule.forRootAsync({ useFactory: () => undefined! })], []);
    await expect(attempt).rejects.toThrow("forRootAsync's factory returned nothing");
  });
});
