import { EventEmitter } from 'node:events';
import { All, Controller, Get, Head, Logger, Options, Post, Put, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, Reflector, type DiscoveryService } from '@nestjs/core';
import { CapturedLogs, type LogEntry } from '../test/support/captured-logs.js';
import { configProblem } from '../test/support/options.js';
import { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
import { createJambonzAuthConfig } from './jambonz-auth.config.js';
import type { JambonzAuthModuleOptions } from './jambonz-auth-options.interface.js';
import { validateWebhookOptions } from './jambonz-auth-options.rules.js';
import { createRoutePolicy, JambonzRoutePolicies, type JambonzRoutePolicy } from './jambonz-route.policy.js';
import { JambonzWebhook } from './jambonz-webhook.decorator.js';
import { MemoryReplayStore } from './replay/memory-replay.store.js';
import type { ReplayResponse } from './replay/replay-protection.js';
import type { ReplayStore } from './replay/replay-store.interface.js';

const SECRET = 'wh_secret_routePolicySpec001';
const PARTNER_SECRET = 'wh_secret_routePolicySpec002';
const CREDENTIALS = { username: 'jambonz', password: 'p:ss wörd' };
const STATUS_CREDENTIALS = { username: 'status', password: 'route:pass' };
const ROUTE = 'CallController.onCall';
const resolver = () => SECRET;

/** A route's options as `@JambonzWebhook()` stores them. */
const options = (given: object = {}) => validateWebhookOptions(given, '@JambonzWebhook() on CallController.onCall');

/** The policy of a POST route with `given` options under a module configured with `module`. */
function policy(module: JambonzAuthModuleOptions, given: object = {}, method: RequestMethod | undefined = RequestMethod.POST) {
  return createRoutePolicy(createJambonzAuthConfig(module), options(given), ROUTE, method);
}

/** The lines Nest's loggers write while `run` runs. */
function logsOf(run: () => void): LogEntry[] {
  const captured = new CapturedLogs();
  Logger.overrideLogger(captured);
  try {
    run();
    return captured.entries;
  } finally {
    Logger.overrideLogger(false);
  }
}

const NEEDS_BASIC = "which needs Basic credentials: set basicAuth (or a named credential set) in JambonzAuthModule's options.";
const NEEDS_SECRET = "which needs a webhook secret: set secret (or secretResolver) in JambonzAuthModule's options.";

describe('createRoutePolicy', () => {
  it('returns exactly the policy of a signed route', () => {
    const config = createJambonzAuthConfig({ secret: SECRET });
    expect(createRoutePolicy(config, options(), ROUTE, RequestMethod.POST)).toStrictEqual({
      route: ROUTE,
      require: 'signature',
      tolerance: 300,
      credentials: undefined,
      credentialSet: undefined,
      secrets: [SECRET],
      secretSet: 'default',
      optionsExempt: false,
      replay: false,
      withBody: { signature: true, basic: false, oneSuffices: false },
      bodiless: { signature: false, basic: false, oneSuffices: false },
    });
    expect(createRoutePolicy(config, options(), ROUTE, RequestMethod.POST).secrets).toBe(config.secretSets.get('default'));
  });

  it.each<[string, object, Pick<JambonzRoutePolicy, 'require' | 'withBody' | 'bodiless'>]>([
    [
      'both',
      { secret: SECRET, basicAuth: CREDENTIALS },
      {
        require: 'both',
        withBody: { signature: true, basic: true, oneSuffices: false },
        bodiless: { signature: false, basic: true, oneSuffices: false },
      },
    ],
    [
      'either',
      { secret: SECRET, basicAuth: CREDENTIALS, require: 'either' },
      {
        require: 'either',
        withBody: { signature: true, basic: true, oneSuffices: true },
        bodiless: { signature: false, basic: true, oneSuffices: true },
      },
    ],
    [
      'basic',
      { basicAuth: CREDENTIALS },
      {
        require: 'basic',
        withBody: { signature: false, basic: true, oneSuffices: false },
        bodiless: { signature: false, basic: true, oneSuffices: false },
      },
    ],
  ])('says which checks a request with a body, and a GET or HEAD, must pass under %s', (_case, module, checks) => {
    expect(policy(module as JambonzAuthModuleOptions)).toMatchObject(checks);
  });

  describe('require, when the route does not say', () => {
    it.each<[string, JambonzAuthModuleOptions, string]>([
      ['a secret and credentials: both', { secret: SECRET, basicAuth: CREDENTIALS }, 'both'],
      ['a resolver and credentials: both', { secretResolver: resolver, basicAuth: CREDENTIALS }, 'both'],
      ['a secret only: signature', { secret: SECRET }, 'signature'],
      ['a resolver only: signature', { secretResolver: resolver }, 'signature'],
      ['credentials only: basic', { basicAuth: CREDENTIALS }, 'basic'],
      ["the module's require", { secret: SECRET, basicAuth: CREDENTIALS, require: 'either' }, 'either'],
      [
        "the module's require, over named sets",
        { secret: SECRET, namedCredentials: { status: CREDENTIALS }, require: 'signature' },
        'signature',
      ],
    ])('%s', (_case, module, require) => {
      expect(policy(module).require).toBe(require);
    });

    it('counts the named sets the route picks as material', () => {
      expect(
        policy({ secret: SECRET, namedCredentials: { status: STATUS_CREDENTIALS } }, { credentials: 'status' }).require,
      ).toBe('both');
      expect(policy({ basicAuth: CREDENTIALS, namedSecrets: { partner: PARTNER_SECRET } }, { secrets: 'partner' }).require).toBe(
        'both',
      );
      expect(policy({ basicAuth: CREDENTIALS, namedSecrets: { partner: PARTNER_SECRET } }).require).toBe('basic');
    });
  });

  it("takes the route's require over the module's", () => {
    expect(policy({ secret: SECRET, basicAuth: CREDENTIALS, require: 'both' }, { require: 'signature' }).require).toBe(
      'signature',
    );
  });

  it("refuses a route's require that the module has no material for, naming the route", () => {
    expect(configProblem(() => policy({ secret: SECRET }, { require: 'basic' }))).toBe(
      `JambonzAuthModule: ${ROUTE}.require is 'basic', ${NEEDS_BASIC}`,
    );
    expect(configProblem(() => policy({ basicAuth: CREDENTIALS }, { require: 'either' }))).toBe(
      `JambonzAuthModule: ${ROUTE}.require is 'either', ${NEEDS_SECRET}`,
    );
  });

  it('refuses a route that names no set when the module has named sets alone, saying to name one', () => {
    const namedOnly = createJambonzAuthConfig({
      namedSecrets: { partner: PARTNER_SECRET },
      namedCredentials: { status: CREDENTIALS },
    });
    const NOTHING =
      `JambonzAuthModule: ${ROUTE} has nothing to authenticate with: the module has no default secret or credentials. ` +
      "Name a set (@JambonzWebhook({ credentials: 'name' }) or { secrets: 'name' }), or set secret or basicAuth in the " +
      "module's options.";
    expect(configProblem(() => createRoutePolicy(namedOnly, options(), ROUTE, RequestMethod.POST))).toBe(NOTHING);
    expect(createRoutePolicy(namedOnly, options({ secrets: 'partner' }), ROUTE, RequestMethod.POST)).toMatchObject({
      require: 'signature',
      secretSet: 'partner',
    });
    expect(createRoutePolicy(namedOnly, options({ credentials: 'status' }), ROUTE, RequestMethod.POST)).toMatchObject({
      require: 'basic',
      credentialSet: 'status',
    });
  });

  it("refuses a route whose named set leaves its derived require without material, naming the route's require as derived", () => {
    const config = createJambonzAuthConfig({
      namedSecrets: { partner: PARTNER_SECRET },
      namedCredentials: { status: STATUS_CREDENTIALS },
      require: 'both',
    });
    expect(configProblem(() => createRoutePolicy(config, options({ secrets: 'partner' }), ROUTE, RequestMethod.POST))).toBe(
      `JambonzAuthModule: require (for ${ROUTE}) is 'both', ${NEEDS_BASIC}`,
    );
  });

  describe('GET, which jambonz cannot sign verifiably', () => {
    const SIGNATURE_ON_GET =
      `JambonzAuthModule: ${ROUTE} takes GET requests and requires a signature alone, which jambonz cannot send verifiably ` +
      "on GET (it signs a payload it does not send): every GET would be refused. Require 'basic', 'either' or 'both' there, " +
      'with Basic credentials set on the jambonz hook and in the module, or declare the route for POST.';

    it.each<[string, RequestMethod]>([
      ['GET', RequestMethod.GET],
      ['HEAD', RequestMethod.HEAD],
      ['ALL', RequestMethod.ALL],
    ])('refuses a route declared for %s that requires a signature alone', (_case, method) => {
      expect(configProblem(() => policy({ secret: SECRET }, {}, method))).toBe(SIGNATURE_ON_GET);
      expect(configProblem(() => policy({ secret: SECRET, basicAuth: CREDENTIALS }, { require: 'signature' }, method))).toBe(
        SIGNATURE_ON_GET,
      );
    });

    it.each<[string, RequestMethod | undefined]>([
      ['POST', RequestMethod.POST],
      ['PUT', RequestMethod.PUT],
      ['OPTIONS', RequestMethod.OPTIONS],
      ['no method (not a route)', undefined],
    ])('accepts a signature alone on %s', (_case, method) => {
      expect(policy({ secret: SECRET }, {}, method).require).toBe('signature');
    });

    it.each(['both', 'either', 'basic'])("accepts '%s' on GET", (require) => {
      expect(policy({ secret: SECRET, basicAuth: CREDENTIALS }, { require }, RequestMethod.GET).require).toBe(require);
    });
  });

  describe('credential and secret sets', () => {
    const module: JambonzAuthModuleOptions = {
      secret: SECRET,
      namedSecrets: { partner: PARTNER_SECRET },
      basicAuth: CREDENTIALS,
      namedCredentials: { status: STATUS_CREDENTIALS },
    };
    const config = createJambonzAuthConfig(module);
    const routePolicy = (given: object) => createRoutePolicy(config, options(given), ROUTE, RequestMethod.POST);

    it("takes the module's 'default' sets when the route names none, or names 'default'", () => {
      for (const given of [{}, { credentials: 'default', secrets: 'default' }]) {
        expect(routePolicy(given)).toMatchObject({ credentialSet: 'default', secretSet: 'default', secrets: [SECRET] });
        expect(routePolicy(given).credentials).toBe(config.credentialSets.get('default'));
      }
    });

    it('takes the sets the route names', () => {
      const picked = routePolicy({ credentials: 'status', secrets: 'partner' });
      expect(picked).toMatchObject({ credentialSet: 'status', secretSet: 'partner', secrets: [PARTNER_SECRET] });
      expect(picked.credentials).toBe(config.credentialSets.get('status'));
    });

    it("takes the resolver as the 'default' secret set, and a named set over it", () => {
      const withResolver = createJambonzAuthConfig({ secretResolver: resolver, namedSecrets: { partner: PARTNER_SECRET } });
      const byDefault = createRoutePolicy(withResolver, options(), ROUTE, RequestMethod.POST);
      expect(byDefault).toMatchObject({ secretSet: 'default', require: 'signature' });
      expect(byDefault.secrets).toBe(withResolver.secretResolver);
      expect(createRoutePolicy(withResolver, options({ secrets: 'default' }), ROUTE, RequestMethod.POST).secrets).toBe(
        withResolver.secretResolver,
      );
      expect(createRoutePolicy(withResolver, options({ secrets: 'partner' }), ROUTE, RequestMethod.POST).secrets).toEqual([
        PARTNER_SECRET,
      ]);
    });

    it('has neither set when the module has none for it', () => {
      expect(policy({ secret: SECRET })).toMatchObject({ credentials: undefined, credentialSet: undefined });
      expect(policy({ basicAuth: CREDENTIALS })).toMatchObject({ secrets: undefined, secretSet: undefined });
    });

    const UNKNOWN = (option: string, shown: string, known: string, moduleOption: string) =>
      `JambonzAuthModule: ${ROUTE}.${option} names the set${shown}, which JambonzAuthModule's options do not have ` +
      `(known: ${known}). Add it to ${moduleOption} (from ConfigService), or fix the name.`;

    it('refuses a name the module does not have, listing the names it has', () => {
      expect(configProblem(() => routePolicy({ credentials: 'statsu' }))).toBe(
        UNKNOWN('credentials', " 'statsu'", "'status', 'default'", 'namedCredentials'),
      );
      expect(configProblem(() => routePolicy({ secrets: 'partnr' }))).toBe(
        UNKNOWN('secrets', " 'partnr'", "'partner', 'default'", 'namedSecrets'),
      );
      expect(configProblem(() => policy({ secret: SECRET }, { credentials: 'default' }))).toBe(
        UNKNOWN('credentials', " 'default'", 'none', 'namedCredentials'),
      );
      expect(configProblem(() => policy({ basicAuth: CREDENTIALS }, { secrets: 'default' }))).toBe(
        UNKNOWN('secrets', " 'default'", 'none', 'namedSecrets'),
      );
      expect(configProblem(() => policy({ secretResolver: resolver }, { secrets: 'partner' }))).toBe(
        UNKNOWN('secrets', " 'partner'", "'default'", 'namedSecrets'),
      );
    });

    it('lists a known name that looks like a secret without showing it', () => {
      const longName = 'partner-with-a-long-name';
      const config = createJambonzAuthConfig({ secret: SECRET, namedSecrets: { [longName]: PARTNER_SECRET, lab: SECRET } });
      expect(configProblem(() => createRoutePolicy(config, options({ secrets: 'partnr' }), ROUTE, RequestMethod.POST))).toBe(
        UNKNOWN('secrets', " 'partnr'", "a name that looks like a secret, 'lab', 'default'", 'namedSecrets'),
      );
      expect(
        configProblem(() => createRoutePolicy(config, options({ secrets: 'x'.repeat(20) }), ROUTE, RequestMethod.POST)),
      ).not.toContain(longName);
    });

    it('does not echo a name that may be a secret pasted where a name belongs', () => {
      expect(configProblem(() => routePolicy({ secrets: 'x'.repeat(20) }))).toBe(
        UNKNOWN('secrets', ` '${'x'.repeat(20)}'`, "'partner', 'default'", 'namedSecrets'),
      );
      expect(configProblem(() => routePolicy({ secrets: 'x'.repeat(21) }))).toBe(
        UNKNOWN('secrets', '', "'partner', 'default'", 'namedSecrets'),
      );
      expect(configProblem(() => routePolicy({ secrets: 'wh_secret_abc' }))).toBe(
        UNKNOWN('secrets', '', "'partner', 'default'", 'namedSecrets'),
      );
      expect(configProblem(() => routePolicy({ credentials: 'wh_secret_' }))).toBe(
        UNKNOWN('credentials', '', "'status', 'default'", 'namedCredentials'),
      );
    });
  });

  it("takes the route's tolerance over the module's", () => {
    expect(policy({ secret: SECRET, tolerance: 120 }).tolerance).toBe(120);
    expect(policy({ secret: SECRET, tolerance: 120 }, { tolerance: 30 }).tolerance).toBe(30);
  });

  describe('OPTIONS', () => {
    it.each<[string, object, object, RequestMethod, boolean]>([
      ['passes on a route declared for OPTIONS', {}, {}, RequestMethod.OPTIONS, true],
      ['is authenticated on a route declared for POST', {}, {}, RequestMethod.POST, false],
      ['is authenticated on a route declared for every method', {}, {}, RequestMethod.ALL, false],
      ['is authenticated when the module says so', { allowOptionsRequests: false }, {}, RequestMethod.OPTIONS, false],
      [
        'passes when the route says so over the module',
        { allowOptionsRequests: false },
        { allowOptionsRequests: true },
        RequestMethod.OPTIONS,
        true,
      ],
      [
        'is authenticated when the route says so over the module',
        {},
        { allowOptionsRequests: false },
        RequestMethod.OPTIONS,
        false,
      ],
    ])('%s', (_case, module, given, method, exempt) => {
      expect(policy({ secret: SECRET, basicAuth: CREDENTIALS, ...module }, given, method).optionsExempt).toBe(exempt);
    });
  });

  describe('replay', () => {
    const withReplay: JambonzAuthModuleOptions = {
      secret: SECRET,
      basicAuth: CREDENTIALS,
      replay: { store: new MemoryReplayStore() },
    };

    it('is on for every route when the module sets it, unless the route opts out', () => {
      expect(policy(withReplay).replay).toBe(true);
      expect(policy(withReplay, { replay: true }).replay).toBe(true);
      expect(policy(withReplay, { replay: false }).replay).toBe(false);
    });

    it('is off without the module setting it', () => {
      expect(policy({ secret: SECRET }).replay).toBe(false);
      expect(policy({ secret: SECRET }, { replay: false }).replay).toBe(false);
    });

    it('refuses a route that asks for it without a store', () => {
      expect(configProblem(() => policy({ secret: SECRET }, { replay: true }))).toBe(
        `JambonzAuthModule: ${ROUTE}.replay is true, which needs a store: set replay: { store } in JambonzAuthModule's options.`,
      );
    });

    it.each(['either', 'basic'])("refuses it on a route where Basic alone lets a request in ('%s')", (require) => {
      expect(configProblem(() => policy(withReplay, { require }))).toBe(
        `JambonzAuthModule: ${ROUTE} has replay protection but require '${require}', so a copied request passes on Basic alone: ` +
          "require 'signature' or 'both' there, or set @JambonzWebhook({ replay: false }) on it.",
      );
      expect(configProblem(() => policy({ ...withReplay, require } as JambonzAuthModuleOptions))).toContain(
        `but require '${require}'`,
      );
    });

    it("accepts it with 'signature' or 'both', and accepts 'either' or 'basic' on a route that opts out", () => {
      expect(policy(withReplay, { require: 'signature' }).replay).toBe(true);
      expect(policy(withReplay, { require: 'both' }).replay).toBe(true);
      expect(policy(withReplay, { require: 'either', replay: false }).replay).toBe(false);
      expect(policy(withReplay, { require: 'basic', replay: false }).replay).toBe(false);
    });
  });
});

// Controllers as Nest would discover them.

@Controller('calls')
@JambonzWebhook({ tolerance: 60, credentials: 'status' })
class CallController {
  @Post('hook')
  onCall() {}

  @Post('slow')
  @JambonzWebhook({ tolerance: 1200 })
  onSlow() {}

  @Options('hook')
  onOptions() {}

  @Get('hook')
  @JambonzWebhook({ require: 'basic', replay: false })
  onGet() {}
}

class PlainController {
  @Post('status')
  @JambonzWebhook({ require: 'both', tolerance: 600 })
  onStatus() {}

  @Post('open')
  open() {}

  @Head('open')
  head() {}

  @Put('open')
  put() {}
}

abstract class BaseController {
  @Post('hook')
  onHook() {}
}

@JambonzWebhook({ tolerance: 30 })
class ShortController extends BaseController {}

@JambonzWebhook({ tolerance: 90, require: 'signature' })
class LongController extends BaseController {}

class UnmarkedController {
  @All('any')
  any() {}
}

class BasicOnlyController {
  @Post('basic')
  @JambonzWebhook({ require: 'basic' })
  onBasic() {}
}

@Controller('/v1/jambonz//')
@JambonzWebhook()
class PathsController {
  @Post(['//call/', 'call-alt'])
  onCall() {}

  @Post()
  onRoot() {}
}

@Controller()
@JambonzWebhook()
class RootController {
  @Post()
  onRoot() {}
}

const MODULE: JambonzAuthModuleOptions = {
  secret: SECRET,
  basicAuth: CREDENTIALS,
  namedCredentials: { status: STATUS_CREDENTIALS },
};

/** JambonzRoutePolicies over `controllers` as Nest's discovery lists them. */
function policiesOf(controllers: Array<object | null>, module: JambonzAuthModuleOptions = MODULE) {
  const discovery = { getControllers: () => controllers.map((metatype) => ({ metatype })) } as unknown as DiscoveryService;
  const config = createJambonzAuthConfig(module);
  return { policies: new JambonzRoutePolicies(config, discovery, new MetadataScanner(), new Reflector()), config };
}

describe('JambonzRoutePolicies', () => {
  describe('at bootstrap (onModuleInit)', () => {
    it('accepts routes the module has material for, and skips a controller registered without a class', () => {
      const { policies } = policiesOf([
        null,
        CallController,
        PlainController,
        ShortController,
        LongController,
        UnmarkedController,
      ]);
      expect(() => policies.onModuleInit()).not.toThrow();
    });

    it('refuses the first route whose policy cannot be met, naming it', () => {
      const { policies } = policiesOf([CallController, BasicOnlyController], {
        secret: SECRET,
        namedCredentials: { status: STATUS_CREDENTIALS },
      });
      expect(() => policies.onModuleInit()).toThrow(
        new JambonzAuthConfigError(`BasicOnlyController.onBasic.require is 'basic', ${NEEDS_BASIC}`),
      );
    });

    it('lists the routes that verify signatures on a request with a body, with their paths as declared', () => {
      const { policies } = policiesOf([
        CallController,
        PlainController,
        BasicOnlyController,
        UnmarkedController,
        PathsController,
        RootController,
      ]);
      expect(policies.signedRoutes()).toEqual([]);
      policies.onModuleInit();
      expect(policies.signedRoutes()).toEqual([
        { route: 'CallController.onCall', path: '/calls/hook' },
        { route: 'CallController.onSlow', path: '/calls/slow' },
        { route: 'CallController.onOptions', path: '/calls/hook' },
        { route: 'PlainController.onStatus', path: '/status' },
        { route: 'PathsController.onCall', path: '/v1/jambonz/call' },
        { route: 'PathsController.onRoot', path: '/v1/jambonz' },
        { route: 'RootController.onRoot', path: '/' },
      ]);
    });

    // jambonz retries a failed delivery with the same signature for about 75 s: a shorter
    // tolerance (minutes meant, seconds written) would refuse the retries as stale.
    it("warns once, listing them, about routes whose tolerance is shorter than jambonz's retry window", () => {
      const { policies } = policiesOf([CallController, PlainController, ShortController, LongController, UnmarkedController]);
      expect(logsOf(() => policies.onModuleInit())).toEqual([
        {
          level: 'warn',
          message:
            "Tolerance shorter than jambonz's retry window (75 s) on CallController.onCall (60 s), CallController.onOptions " +
            '(60 s), CallController.onGet (60 s), ShortController.onHook (30 s): a webhook jambonz retries (with the same ' +
            'signature) may be refused as stale.',
          context: 'JambonzAuthGuard',
        },
      ]);
    });

    it('says nothing about a tolerance of 75 s or more, nor about routes without the decorator', () => {
      @JambonzWebhook({ tolerance: 75 })
      class RetryWindowController {
        @Post('hook')
        onHook() {}
      }
      const { policies } = policiesOf([RetryWindowController, PlainController, LongController, UnmarkedController], {
        ...MODULE,
        tolerance: 10,
      });
      expect(logsOf(() => policies.onModuleInit())).toEqual([]);
      const { policies: shortModule } = policiesOf([BasicOnlyController], { ...MODULE, tolerance: 74.5 });
      expect(logsOf(() => shortModule.onModuleInit()).map(({ message }) => message)).toEqual([
        "Tolerance shorter than jambonz's retry window (75 s) on BasicOnlyController.onBasic (74.5 s): a webhook jambonz " +
          'retries (with the same signature) may be refused as stale.',
      ]);
    });

    it("checks a class's options against each of its handlers", () => {
      const { policies } = policiesOf([CallController], { secret: SECRET, basicAuth: CREDENTIALS });
      expect(() => policies.onModuleInit()).toThrow(
        "CallController.onCall.credentials names the set 'status', which JambonzAuthModule's options do not have (known: 'default').",
      );
    });

    describe('tells replay protection the longest tolerance of the app', () => {
      /** The ttl (ms) of a signature consumed after a bootstrap over `controllers`, with `t` = now. */
      async function rememberedFor(controllers: object[], module: Partial<JambonzAuthModuleOptions> = {}) {
        const consumed: number[] = [];
        const store: ReplayStore = {
          claim: () => 'claimed',
          renew: () => undefined,
          consume: (_key, ttlMs) => void consumed.push(ttlMs),
          release: () => undefined,
        };
        const { policies, config } = policiesOf(controllers, { ...MODULE, replay: { store }, ...module });
        policies.onModuleInit();
        const response = Object.assign(new EventEmitter(), { statusCode: 200, writableFinished: true, closed: false });
        await config.replay!.claim(new Uint8Array(32), 1715000000, 1715000000, response as ReplayResponse);
        return consumed;
      }

      it("the module's tolerance when no route has a longer one", async () => {
        expect(await rememberedFor([ShortController])).toEqual([(300 + 75) * 1000]);
        expect(await rememberedFor([], { tolerance: 45 })).toEqual([(45 + 75) * 1000]);
      });

      it("a route's, when longer", async () => {
        expect(await rememberedFor([PlainController, ShortController])).toEqual([(600 + 75) * 1000]);
        expect(await rememberedFor([CallController, PlainController])).toEqual([(1200 + 75) * 1000]);
      });
    });
  });

  describe('find', () => {
    const { policies } = policiesOf([CallController, PlainController]);

    it('answers undefined for a route without the decorator', () => {
      expect(policies.find(PlainController, PlainController.prototype.open)).toBeUndefined();
      expect(policies.find(UnmarkedController, UnmarkedController.prototype.any)).toBeUndefined();
    });

    it("takes the class's options for its routes, and a method's over them field by field", () => {
      expect(policies.find(CallController, CallController.prototype.onCall)).toMatchObject({
        route: 'CallController.onCall',
        tolerance: 60,
        credentialSet: 'status',
        require: 'both',
      });
      expect(policies.find(CallController, CallController.prototype.onSlow)).toMatchObject({
        route: 'CallController.onSlow',
        tolerance: 1200,
        credentialSet: 'status',
      });
      expect(policies.find(PlainController, PlainController.prototype.onStatus)).toMatchObject({
        route: 'PlainController.onStatus',
        tolerance: 600,
        credentialSet: 'default',
        require: 'both',
      });
    });

    it('knows the method a route is declared for', () => {
      expect(policies.find(CallController, CallController.prototype.onOptions)!.optionsExempt).toBe(true);
      expect(policies.find(CallController, CallController.prototype.onCall)!.optionsExempt).toBe(false);
      expect(Reflect.getMetadata(METHOD_METADATA, CallController.prototype.onGet)).toBe(RequestMethod.GET);
      expect(policies.find(CallController, CallController.prototype.onGet)!.require).toBe('basic');
    });

    it('resolves a route once', () => {
      const first = policies.find(CallController, CallController.prototype.onCall);
      expect(policies.find(CallController, CallController.prototype.onCall)).toBe(first);
      expect(policies.find(PlainController, PlainController.prototype.open)).toBeUndefined();
    });

    it('keeps apart an inherited handler under two controllers with different options', () => {
      const inherited = BaseController.prototype.onHook;
      expect(policies.find(ShortController, inherited)).toMatchObject({
        route: 'ShortController.onHook',
        tolerance: 30,
        require: 'both',
      });
      expect(policies.find(LongController, inherited)).toMatchObject({
        route: 'LongController.onHook',
        tolerance: 90,
        require: 'signature',
      });
      expect(policies.find(ShortController, inherited)!.tolerance).toBe(30);
    });

    it('refuses a route that takes GET and requires a signature alone, when it is asked for', () => {
      expect(() => policies.find(PlainController, PlainController.prototype.head)).not.toThrow();
      @JambonzWebhook({ require: 'signature' })
      class SignedGetController {
        @Get('hook')
        onGet() {}
      }
      expect(() => policies.find(SignedGetController, SignedGetController.prototype.onGet)).toThrow(
        'SignedGetController.onGet takes GET requests and requires a signature alone',
      );
    });
  });

  describe('for', () => {
    const { policies } = policiesOf([CallController, PlainController]);

    it('answers the policy of a decorated route', () => {
      expect(policies.for(CallController, CallController.prototype.onCall)).toBe(
        policies.find(CallController, CallController.prototype.onCall),
      );
    });

    it("answers the module's own policy for a route that binds the guard without the decorator, once", () => {
      const fallback = policies.for(PlainController, PlainController.prototype.open);
      expect(fallback).toMatchObject({
        route: 'PlainController.open',
        require: 'both',
        tolerance: 300,
        credentialSet: 'default',
        secretSet: 'default',
        optionsExempt: false,
      });
      expect(policies.for(PlainController, PlainController.prototype.open)).toBe(fallback);
      expect(policies.for(PlainController, PlainController.prototype.put)).not.toBe(fallback);
      expect(policies.for(PlainController, PlainController.prototype.put).route).toBe('PlainController.put');
      expect(policies.find(PlainController, PlainController.prototype.open)).toBeUndefined();
    });

    it('keeps apart the fallbacks of one handler under two controllers', () => {
      class OtherPlainController extends PlainController {}
      const fallback = policies.for(OtherPlainController, PlainController.prototype.open);
      expect(fallback.route).toBe('OtherPlainController.open');
      expect(policies.for(PlainController, PlainController.prototype.open).route).toBe('PlainController.open');
    });

    // Such a route is not known at bootstrap (a global guard, or @UseGuards()): it refuses every
    // request (401, the guard finds no check that can pass) and says why once, instead of a 500.
    it('gives a route without the decorator whose module policy cannot be met a policy that refuses everything, logged once', () => {
      const { policies: signedOnly } = policiesOf([], { secret: SECRET, tolerance: 120 });
      const refusing: JambonzRoutePolicy[] = [];
      const entries = logsOf(() => {
        refusing.push(signedOnly.for(UnmarkedController, UnmarkedController.prototype.any));
        refusing.push(signedOnly.for(UnmarkedController, UnmarkedController.prototype.any));
      });
      const none = { signature: false, basic: false, oneSuffices: false };
      expect(refusing[0]).toStrictEqual({
        route: 'UnmarkedController.any',
        require: 'signature',
        tolerance: 120,
        credentials: undefined,
        credentialSet: undefined,
        secrets: undefined,
        secretSet: undefined,
        optionsExempt: false,
        replay: false,
        withBody: none,
        bodiless: none,
      });
      expect(refusing[1]).toBe(refusing[0]);
      expect(entries).toEqual([
        {
          level: 'error',
          message:
            'JambonzAuthModule: UnmarkedController.any takes GET requests and requires a signature alone, which jambonz ' +
            'cannot send verifiably on GET (it signs a payload it does not send): every GET would be refused. Require ' +
            "'basic', 'either' or 'both' there, with Basic credentials set on the jambonz hook and in the module, or " +
            'declare the route for POST. It binds JambonzAuthGuard without @JambonzWebhook(): every request is refused.',
          context: 'JambonzAuthGuard',
        },
      ]);
    });

    it('logs the refusing fallback once per route, and leaves a route it can meet alone', () => {
      class OtherUnmarkedController extends UnmarkedController {}
      const { policies: signedOnly } = policiesOf([], { secret: SECRET });
      const entries = logsOf(() => {
        signedOnly.for(UnmarkedController, UnmarkedController.prototype.any);
        signedOnly.for(OtherUnmarkedController, UnmarkedController.prototype.any);
        expect(signedOnly.for(PlainController, PlainController.prototype.open)).toMatchObject({
          route: 'PlainController.open',
          require: 'signature',
          withBody: { signature: true, basic: false, oneSuffices: false },
        });
      });
      expect(entries.map(({ level, message }) => [level, message.slice(0, message.indexOf(' takes'))])).toEqual([
        ['error', 'JambonzAuthModule: UnmarkedController.any'],
        ['error', 'JambonzAuthModule: OtherUnmarkedController.any'],
      ]);
    });

    it('lets an error other than a configuration error through', () => {
      const { policies: broken, config } = policiesOf([], { secret: SECRET });
      Object.defineProperty(config, 'credentialSets', {
        get: () => {
          throw new RangeError('not a configuration error');
        },
      });
      expect(() => broken.for(UnmarkedController, UnmarkedController.prototype.any)).toThrow(
        new RangeError('not a configuration error'),
      );
    });
  });
});
