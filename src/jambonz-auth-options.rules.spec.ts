import { configProblem, DEFAULT_SETTINGS, UNSET_WEBHOOK_OPTIONS } from '../test/support/options.js';
import { WELL_KNOWN_JAMBONZ_SECRET } from './core/webhook-secret.js';
import { DEFAULT_SET } from './jambonz-auth.constants.js';
import {
  assertMaterial,
  DEFAULT_UNUSED_AFTER_SECONDS,
  MAX_TOLERANCE_SECONDS,
  mayBeSecret,
  REQUIREMENTS,
  SECRET_PROBLEMS,
  validateGatewayOptions,
  validateModuleOptions,
  validateWebhookOptions,
} from './jambonz-auth-options.rules.js';
import { MemoryReplayStore } from './replay/memory-replay.store.js';

const SECRET = 'wh_secret_optionRulesSpec001';
const OTHER = 'wh_secret_optionRulesSpec002';
const CREDENTIALS = { username: 'jambonz', password: 'p:ss wörd' };
const OLD_CREDENTIALS = { username: 'old', password: 'old-pass' };
const resolver = () => SECRET;
const WHERE = '@JambonzWebhook() on CallController.onCall';

/** An array of `length` with only the given indexes set: the others are holes, not `undefined`. */
const sparse = (length: number, set: Record<number, unknown>): unknown[] => Object.assign(new Array<unknown>(length), set);

/** The message for the module's `options`. */
const moduleProblem = (options: unknown) => configProblem(() => validateModuleOptions(options));

const MODULE_KEYS =
  'secret, namedSecrets, secretResolver, secretResolverCacheTtl, secretResolverTimeout, basicAuth, namedCredentials, ' +
  'require, tolerance, allowOptionsRequests, allowReserializedBody, maxBodyBytes, realm, clock, allowWellKnownSecret, ' +
  'allowSecretWhitespace, replay, onDecision, metrics, credentialUsage, websocket';

// The secret messages, spelled out: they are what an operator reads when the app does not start.
const PORTAL = 'Set it to the webhook secret from the jambonz portal (Account > Webhook secret).';
const SECRET_MESSAGES = {
  type: `is not a string. ${PORTAL}`,
  empty: `is empty. ${PORTAL}`,
  placeholder:
    "is 'undefined', 'null', an unexpanded variable reference or the like, what an unset variable becomes in a template string or a .env file. " +
    'The variable it is read from is probably not set: set it to the webhook secret from the jambonz portal.',
  invisible: `holds only whitespace or invisible characters. ${PORTAL}`,
  whitespace:
    'has leading or trailing whitespace, an invisible character or a line break, usually a copy-paste accident. ' +
    'Remove it, or set allowSecretWhitespace: true if the secret really contains it.',
  'well-known':
    "is the default webhook secret of jambonz's open-source seed database, which everyone knows: requests signed with " +
    'it prove nothing. Regenerate the secret in the jambonz portal and use the new one (or set allowWellKnownSecret: ' +
    'true for a local test server).',
};
const NOT_A_SECRET = (name: string) =>
  `JambonzAuthModule: ${name} must be the webhook secret (a string) or a non-empty array of them. ` +
  'Copy it from the jambonz portal (Account > Webhook secret).';
const CONTROL =
  'contains a control character or a line separator, which RFC 7617 does not allow in Basic credentials. ' +
  'Remove it (a pasted value often ends with a newline) and set the same value on the jambonz application.';
const INVISIBLE_CREDENTIALS =
  'has a username or password made only of whitespace or invisible characters: set the credentials of the ' +
  'jambonz application hook.';
const PLACEHOLDER_CREDENTIALS =
  "has a username or password 'undefined', 'null', an unexpanded variable reference or the like, what an unset variable becomes in a template string " +
  'or a .env file: the variable it is read from is probably not set.';
const SET_NAMES = (where: string, shown: string) =>
  `JambonzAuthModule: ${where} has a set named ${shown}: names are 1 to 64 letters, digits, '_', '.' or '-', ` +
  "not a secret (a key and its value swapped?) nor what an unset variable gives ('undefined', 'null'), and 'default' " +
  'is reserved for the unnamed set.';
const TOLERANCE_RANGE = (where: string, shown: string) =>
  `JambonzAuthModule: ${where} must be a positive number of seconds, at most 3600 (got ${shown}): ` +
  'jambonz retries a delivery for about 75 s; the default is 300.';
const STORE =
  'JambonzAuthModule: options.replay.store must be a replay store (claim, renew, consume, release): ' +
  'new MemoryReplayStore() for one instance, or new RedisReplayStore(redisClient) for several.';

describe('the exported constants', () => {
  it('name the four checks, the unnamed set and the largest tolerance', () => {
    expect(REQUIREMENTS).toEqual(['signature', 'basic', 'either', 'both']);
    expect(DEFAULT_SET).toBe('default');
    expect(MAX_TOLERANCE_SECONDS).toBe(3600);
    expect(DEFAULT_UNUSED_AFTER_SECONDS).toBe(86_400);
  });

  it('word every secret problem without the value', () => {
    for (const [key, message] of Object.entries(SECRET_MESSAGES)) {
      const { what, fix } = SECRET_PROBLEMS[key as keyof typeof SECRET_PROBLEMS];
      expect(`${what}. ${fix}`).toBe(message);
    }
    expect(Object.keys(SECRET_PROBLEMS).sort()).toEqual(Object.keys(SECRET_MESSAGES).sort());
  });
});

/** What validateModuleOptions answers when only the material is set. */
const DEFAULTS = {
  secret: undefined,
  namedSecrets: undefined,
  secretResolver: undefined,
  secretResolverCacheTtl: 0,
  secretResolverTimeout: 5,
  basicAuth: undefined,
  namedCredentials: undefined,
  ...DEFAULT_SETTINGS,
  allowWellKnownSecret: false,
  allowSecretWhitespace: false,
  replay: undefined,
  onDecision: undefined,
  metrics: false,
  credentialUsage: undefined,
};

describe('validateModuleOptions', () => {
  describe('fills in every default', () => {
    it('for a secret alone, freezing what it returns', () => {
      const options = validateModuleOptions({ secret: SECRET });
      expect(options).toStrictEqual({ ...DEFAULTS, secret: [SECRET] });
      expect(Object.isFrozen(options)).toBe(true);
      expect(Object.isFrozen(options.secret)).toBe(true);
      expect(Object.isFrozen(options.websocket)).toBe(true);
    });

    it('for credentials alone, copying each pair without its other fields, in a frozen list', () => {
      const options = validateModuleOptions({ basicAuth: { ...CREDENTIALS, realm: 'x' } });
      expect(options.basicAuth).toStrictEqual([CREDENTIALS]);
      expect(Object.isFrozen(options.basicAuth)).toBe(true);
      expect(options.secret).toBeUndefined();
    });

    it('for a resolver alone', () => {
      const options = validateModuleOptions({ secretResolver: resolver });
      expect(options.secretResolver).toBe(resolver);
      expect(options.secret).toBeUndefined();
    });

    it('for a replay block with only its store', () => {
      const store = new MemoryReplayStore();
      const { replay } = validateModuleOptions({ secret: SECRET, replay: { store } });
      expect(replay).toStrictEqual({ store, ttl: undefined, lease: 30, timeout: 1, onStoreError: 'reject' });
      expect(Object.isFrozen(replay)).toBe(true);
    });

    it('for a websocket block that sets one limit, the other one by default', () => {
      const { websocket } = validateModuleOptions({ secret: SECRET, websocket: { maxOutgoingFrameBytes: 65_536 } });
      expect(websocket).toStrictEqual({ maxIncomingFrameBytes: 1_048_576, maxOutgoingFrameBytes: 65_536 });
      expect(Object.isFrozen(websocket)).toBe(true);
      expect(validateModuleOptions({ secret: SECRET, websocket: {} }).websocket).toStrictEqual(DEFAULTS.websocket);
    });

    it('for an option given as undefined that is not material', () => {
      expect(validateModuleOptions({ secret: SECRET, tolerance: undefined, realm: undefined })).toMatchObject({
        tolerance: 300,
        realm: 'jambonz',
      });
    });
  });

  it('keeps every value it is given', () => {
    const clock = () => 1715000000;
    const store = new MemoryReplayStore();
    const given = {
      secret: [SECRET, OTHER],
      namedSecrets: { partner: OTHER },
      basicAuth: [CREDENTIALS, OLD_CREDENTIALS],
      namedCredentials: { status: OLD_CREDENTIALS },
      require: 'either',
      tolerance: 60,
      allowOptionsRequests: false,
      allowReserializedBody: true,
      maxBodyBytes: 1,
      realm: "My realm ~ it's !",
      clock,
      allowWellKnownSecret: true,
      allowSecretWhitespace: true,
      replay: { store, ttl: 600, lease: 2.5, timeout: 0.25, onStoreError: 'allow' },
      websocket: { maxIncomingFrameBytes: 2048, maxOutgoingFrameBytes: 65_536 },
    };
    expect(validateModuleOptions(given)).toStrictEqual({
      ...DEFAULTS,
      ...given,
      namedSecrets: new Map([['partner', [OTHER]]]),
      namedCredentials: new Map([['status', [OLD_CREDENTIALS]]]),
    });
    const withResolver = validateModuleOptions({
      secretResolver: resolver,
      secretResolverCacheTtl: 2.5,
      secretResolverTimeout: 10,
    });
    expect(withResolver).toMatchObject({ secretResolverCacheTtl: 2.5, secretResolverTimeout: 10 });
  });

  it('refuses no options at all (the bare class, or a factory that returned nothing), saying what to do', () => {
    expect(moduleProblem(undefined)).toBe(
      "JambonzAuthModule: it has no options: it was imported as the bare class, without forRoot, or forRootAsync's " +
        "factory returned nothing. Import JambonzAuthModule.forRoot(...) or forRootAsync(...) once, in the app's root " +
        'module, with isGlobal: true so that feature modules need not import it, and return the options object from the factory.',
    );
  });

  describe('refuses options that are not an object', () => {
    it.each<[string, unknown, string]>([
      ['null', null, 'null'],
      ['an array', [SECRET], 'an array'],
      ['a function', () => ({ secret: SECRET }), 'a function'],
      ['a number', 42, '42'],
      ['a boolean', true, 'true'],
      ['a short string', 'options', '"options"'],
      // Longer strings, and anything in jambonz's secret format, may be a secret put in the wrong place.
      ['a string of 20 characters, in full', 'x'.repeat(20), `"${'x'.repeat(20)}"`],
      ['a string of 21 characters, by its length alone', 'x'.repeat(21), 'a string of 21 characters'],
      ['a long string, by its length alone', 'y'.repeat(500), 'a string of 500 characters'],
      ["a short string in jambonz's secret format, by its length alone", 'wh_secret_a', 'a string of 11 characters'],
      ['the prefix of a secret alone, by its length alone', 'wh_secret_', 'a string of 10 characters'],
      ['a string that only contains the prefix, in full', 'my_wh_secret_', '"my_wh_secret_"'],
    ])('%s', (_case, options, shown) => {
      expect(moduleProblem(options)).toBe(`JambonzAuthModule: options must be an object (got ${shown}).`);
    });
  });

  it.each<[string, unknown]>([
    ['true', true],
    ['false', false],
    ['undefined', undefined],
  ])('refuses isGlobal (%s) from the factory, saying where it goes', (_case, isGlobal) => {
    expect(moduleProblem({ secret: SECRET, isGlobal })).toBe(
      "JambonzAuthModule: options has the key 'isGlobal', which is not an option of the module: it goes beside the factory, " +
        'JambonzAuthModule.forRootAsync({ isGlobal: true, useFactory, inject }).',
    );
  });

  it.each(['secrets', 'toString', 'constructor', 'requireRawBody'])(
    'refuses the unknown key %p, listing the known ones',
    (key) => {
      expect(moduleProblem({ secret: SECRET, [key]: true })).toBe(
        `JambonzAuthModule: options has an unknown key '${key}'. Known keys: ${MODULE_KEYS}.`,
      );
    },
  );

  it.each(['secret', 'namedSecrets', 'secretResolver', 'basicAuth', 'namedCredentials'])(
    'refuses %s given as undefined: an unset variable, not "not configured"',
    (key) => {
      const options = { secret: SECRET, basicAuth: CREDENTIALS, [key]: undefined };
      expect(moduleProblem(options)).toBe(
        `JambonzAuthModule: options.${key} is undefined: the variable it is read from is probably not set. Set it, or leave the key out.`,
      );
    },
  );

  describe('nothing to authenticate with', () => {
    const NOTHING =
      'JambonzAuthModule: nothing to authenticate with. Set secret to the webhook secret from the jambonz portal ' +
      '(e.g. from JAMBONZ_WEBHOOK_SECRET), or basicAuth to the credentials of the application hook, or both ' +
      '(or named sets in namedSecrets and namedCredentials).';
    it.each<[string, object]>([
      ['no option at all', {}],
      ['settings only', { tolerance: 60, realm: 'x' }],
    ])('refuses %s', (_case, options) => {
      expect(moduleProblem(options)).toBe(NOTHING);
    });

    // Each route then names its set, or the app stops at bootstrap (see createRoutePolicy).
    it.each<[string, object]>([
      ['named secrets only', { namedSecrets: { partner: OTHER } }],
      ['named credentials only', { namedCredentials: { status: CREDENTIALS } }],
      ['both kinds of named sets only', { namedSecrets: { partner: OTHER }, namedCredentials: { status: CREDENTIALS } }],
    ])('accepts %s', (_case, options) => {
      expect(() => validateModuleOptions(options)).not.toThrow();
    });

    it.each<[string, object]>([
      ['a secret', { secret: SECRET }],
      ['a resolver', { secretResolver: resolver }],
      ['credentials', { basicAuth: CREDENTIALS }],
    ])('accepts %s alone', (_case, options) => {
      expect(() => validateModuleOptions(options)).not.toThrow();
    });
  });

  describe('secret', () => {
    it.each<[string, unknown]>([
      ['an empty array', []],
      ['a number', 42],
      ['an object', { value: SECRET }],
      ['null', null],
      ['true', true],
    ])('refuses %s', (_case, secret) => {
      expect(moduleProblem({ secret })).toBe(NOT_A_SECRET('options.secret'));
    });

    it.each<[string, unknown, keyof typeof SECRET_MESSAGES]>([
      ['an empty string', '', 'empty'],
      ['"undefined"', 'undefined', 'placeholder'],
      ['"null" from a .env file', 'null\n', 'placeholder'],
      ['a variable reference a .env file left unexpanded', '${JAMBONZ_WEBHOOK_SECRET}', 'placeholder'],
      ['spaces', '   ', 'invisible'],
      ['a zero-width space', '\u200b', 'invisible'],
      ['a leading space', ` ${SECRET}`, 'whitespace'],
      ['a trailing tab', `${SECRET}\t`, 'whitespace'],
      ['a trailing newline', `${SECRET}\n`, 'whitespace'],
      ['a line feed inside', 'wh_secret_a\nb', 'whitespace'],
      ['a carriage return inside', 'wh_secret_a\rb', 'whitespace'],
      ["jambonz's well-known secret", WELL_KNOWN_JAMBONZ_SECRET, 'well-known'],
    ])('refuses %s, alone or in a list, naming it and never showing it', (_case, secret, why) => {
      expect(moduleProblem({ secret })).toBe(`JambonzAuthModule: options.secret ${SECRET_MESSAGES[why]}`);
      expect(moduleProblem({ secret: [SECRET, secret] })).toBe(`JambonzAuthModule: options.secret[1] ${SECRET_MESSAGES[why]}`);
    });

    it('refuses a value that is not a string in a list', () => {
      expect(moduleProblem({ secret: [42] })).toBe(`JambonzAuthModule: options.secret[0] ${SECRET_MESSAGES.type}`);
      expect(moduleProblem({ secret: [SECRET, null] })).toBe(`JambonzAuthModule: options.secret[1] ${SECRET_MESSAGES.type}`);
    });

    it('refuses a hole in a list as undefined, naming its index', () => {
      expect(moduleProblem({ secret: sparse(3, { 0: SECRET, 2: OTHER }) })).toBe(
        `JambonzAuthModule: options.secret[1] ${SECRET_MESSAGES.type}`,
      );
      expect(moduleProblem({ secret: sparse(2, { 1: SECRET }) })).toBe(
        `JambonzAuthModule: options.secret[0] ${SECRET_MESSAGES.type}`,
      );
      expect(moduleProblem({ secret: sparse(1, {}) })).toBe(`JambonzAuthModule: options.secret[0] ${SECRET_MESSAGES.type}`);
      expect(moduleProblem({ secret: SECRET, namedSecrets: { partner: sparse(2, { 0: OTHER }) } })).toBe(
        `JambonzAuthModule: options.namedSecrets.partner[1] ${SECRET_MESSAGES.type}`,
      );
    });

    it('accepts whitespace around a secret with allowSecretWhitespace, and only then', () => {
      expect(validateModuleOptions({ secret: `${SECRET}\n`, allowSecretWhitespace: true }).secret).toEqual([`${SECRET}\n`]);
      expect(moduleProblem({ secret: `${SECRET}\n`, allowSecretWhitespace: false })).toBe(
        `JambonzAuthModule: options.secret ${SECRET_MESSAGES.whitespace}`,
      );
    });

    it("accepts jambonz's well-known secret with allowWellKnownSecret, and only then", () => {
      expect(validateModuleOptions({ secret: WELL_KNOWN_JAMBONZ_SECRET, allowWellKnownSecret: true }).secret).toEqual([
        WELL_KNOWN_JAMBONZ_SECRET,
      ]);
      expect(moduleProblem({ secret: WELL_KNOWN_JAMBONZ_SECRET, allowWellKnownSecret: false })).toBe(
        `JambonzAuthModule: options.secret ${SECRET_MESSAGES['well-known']}`,
      );
    });

    it('accepts a space inside a secret', () => {
      expect(validateModuleOptions({ secret: 'wh_secret_a b' }).secret).toEqual(['wh_secret_a b']);
    });

    it('refuses a secret next to a resolver', () => {
      expect(moduleProblem({ secret: SECRET, secretResolver: resolver })).toBe(
        'JambonzAuthModule: set either options.secret or options.secretResolver, not both: the resolver picks the secrets.',
      );
    });
  });

  describe('named sets', () => {
    it('gathers named secrets and credentials into maps, each set checked and frozen', () => {
      const options = validateModuleOptions({
        secret: SECRET,
        namedSecrets: { partner: OTHER, 'rotating.set-2_b': [OTHER, SECRET] },
        namedCredentials: { status: CREDENTIALS, Audio9: [CREDENTIALS, OLD_CREDENTIALS] },
      });
      expect(options.namedSecrets).toEqual(
        new Map<string, string[]>([
          ['partner', [OTHER]],
          ['rotating.set-2_b', [OTHER, SECRET]],
        ]),
      );
      expect(options.namedCredentials).toEqual(
        new Map([
          ['status', [CREDENTIALS]],
          ['Audio9', [CREDENTIALS, OLD_CREDENTIALS]],
        ]),
      );
      expect(Object.isFrozen(options.namedSecrets!.get('partner'))).toBe(true);
      expect(Object.isFrozen(options.namedCredentials!.get('status'))).toBe(true);
    });

    it.each([
      'a',
      'z',
      'A',
      'Z',
      '0',
      '9',
      'x'.repeat(64),
      'a.b',
      'a-b',
      'a_b',
      'Default',
      'wh_secret',
      'my_wh_secret_x',
      'WH_SECRET_x',
    ])('accepts the set name %p', (name) => {
      expect(validateModuleOptions({ secret: SECRET, namedSecrets: { [name]: OTHER } }).namedSecrets!.get(name)).toEqual([OTHER]);
      expect(
        validateModuleOptions({ basicAuth: CREDENTIALS, namedCredentials: { [name]: CREDENTIALS } }).namedCredentials!.has(name),
      ).toBe(true);
    });

    it.each<[string, string, string]>([
      ["the reserved 'default'", 'default', '"default"'],
      ['an empty name', '', '""'],
      ['a name starting with _', '_x', '"_x"'],
      ['a name starting with -', '-x', '"-x"'],
      ['a name starting with .', '.x', '".x"'],
      ['a name with a space', 'a b', '"a b"'],
      ['a name with a slash', 'a/b', '"a/b"'],
      ['a name with a colon', 'a:b', '"a:b"'],
      ['a name of 65 characters, shown by its length alone', 'x'.repeat(65), 'a string of 65 characters'],
      ['a name of 21 characters with a space, shown by its length alone', 'a b'.repeat(7), 'a string of 21 characters'],
      ['a name of 20 characters with a space, shown in full', `a b${'x'.repeat(17)}`, `"a b${'x'.repeat(17)}"`],
      // A valid name in every other way, but a secret: the key and its value were swapped.
      ["a secret in jambonz's format, shown by its length alone", 'wh_secret_abc', 'a string of 13 characters'],
      ['the prefix of a secret alone', 'wh_secret_', 'a string of 10 characters'],
      // A key read from a variable that is not set: { [process.env.SET_NAME]: ... }.
      ["'undefined'", 'undefined', '"undefined"'],
    ])('refuses %s', (_case, name, shown) => {
      expect(moduleProblem({ secret: SECRET, namedSecrets: { [name]: OTHER } })).toBe(SET_NAMES('options.namedSecrets', shown));
      expect(moduleProblem({ secret: SECRET, namedCredentials: { [name]: CREDENTIALS } })).toBe(
        SET_NAMES('options.namedCredentials', shown),
      );
    });

    it('refuses an empty set of sets', () => {
      expect(moduleProblem({ secret: SECRET, namedSecrets: {} })).toBe(
        'JambonzAuthModule: options.namedSecrets is empty: name at least one set, or leave the key out.',
      );
      expect(moduleProblem({ secret: SECRET, namedCredentials: {} })).toBe(
        'JambonzAuthModule: options.namedCredentials is empty: name at least one set, or leave the key out.',
      );
    });

    it.each<[string, unknown, string]>([
      ['an array', [OTHER], 'an array'],
      ['a string', 'partner', '"partner"'],
      ['null', null, 'null'],
    ])('refuses sets given as %s', (_case, sets, shown) => {
      expect(moduleProblem({ secret: SECRET, namedSecrets: sets })).toBe(
        `JambonzAuthModule: options.namedSecrets must be an object (got ${shown}).`,
      );
      expect(moduleProblem({ basicAuth: CREDENTIALS, namedCredentials: sets })).toBe(
        `JambonzAuthModule: options.namedCredentials must be an object (got ${shown}).`,
      );
    });

    it('refuses a set given as undefined: an unset variable', () => {
      expect(moduleProblem({ secret: SECRET, namedSecrets: { partner: OTHER, legacy: undefined } })).toBe(
        'JambonzAuthModule: options.namedSecrets.legacy is undefined: the variable it is read from is probably not set.',
      );
      expect(moduleProblem({ secret: SECRET, namedCredentials: { status: undefined } })).toBe(
        'JambonzAuthModule: options.namedCredentials.status is undefined: the variable it is read from is probably not set.',
      );
    });

    it('holds each named secret set to the rules of secret, naming it', () => {
      expect(moduleProblem({ secret: SECRET, namedSecrets: { partner: '' } })).toBe(
        `JambonzAuthModule: options.namedSecrets.partner ${SECRET_MESSAGES.empty}`,
      );
      expect(moduleProblem({ secret: SECRET, namedSecrets: { partner: [OTHER, `${OTHER} `] } })).toBe(
        `JambonzAuthModule: options.namedSecrets.partner[1] ${SECRET_MESSAGES.whitespace}`,
      );
      expect(moduleProblem({ secret: SECRET, namedSecrets: { partner: [] } })).toBe(NOT_A_SECRET('options.namedSecrets.partner'));
      expect(moduleProblem({ secret: SECRET, namedSecrets: { partner: WELL_KNOWN_JAMBONZ_SECRET } })).toBe(
        `JambonzAuthModule: options.namedSecrets.partner ${SECRET_MESSAGES['well-known']}`,
      );
    });

    it('applies allowWellKnownSecret and allowSecretWhitespace to named secrets too', () => {
      const options = validateModuleOptions({
        secret: SECRET,
        namedSecrets: { lab: WELL_KNOWN_JAMBONZ_SECRET, pasted: `${OTHER}\n` },
        allowWellKnownSecret: true,
        allowSecretWhitespace: true,
      });
      expect(options.namedSecrets).toEqual(
        new Map([
          ['lab', [WELL_KNOWN_JAMBONZ_SECRET]],
          ['pasted', [`${OTHER}\n`]],
        ]),
      );
    });

    it('holds each named credential set to the rules of basicAuth, naming it', () => {
      expect(moduleProblem({ secret: SECRET, namedCredentials: { status: { username: 'a', password: '' } } })).toBe(
        'JambonzAuthModule: options.namedCredentials.status.password must be a non-empty string.',
      );
      expect(
        moduleProblem({ secret: SECRET, namedCredentials: { status: [CREDENTIALS, { username: 'a:b', password: 'x' }] } }),
      ).toBe("JambonzAuthModule: options.namedCredentials.status[1].username must be a non-empty string without ':' (RFC 7617).");
      expect(moduleProblem({ secret: SECRET, namedCredentials: { status: [] } })).toBe(
        'JambonzAuthModule: options.namedCredentials.status is an empty array. Set { username, password } of the jambonz application hook.',
      );
    });
  });

  describe('secretResolver', () => {
    it.each<[string, unknown, string]>([
      ['an object', { resolve: resolver }, 'an object'],
      ['a number', 1, '1'],
    ])('refuses %s', (_case, secretResolver, shown) => {
      expect(moduleProblem({ secretResolver })).toBe(
        `JambonzAuthModule: options.secretResolver must be a function (context) => secret(s) (got ${shown}).`,
      );
    });

    it.each<[string, string, unknown, string]>([
      ['secretResolverCacheTtl', 'a negative', -1, '-1'],
      ['secretResolverCacheTtl', 'NaN as', Number.NaN, 'NaN'],
      ['secretResolverCacheTtl', 'an infinite', Number.POSITIVE_INFINITY, 'Infinity'],
      ['secretResolverCacheTtl', 'a string', '60', '"60"'],
    ])('refuses %s %s value', (key, _case, value, shown) => {
      expect(moduleProblem({ secretResolver: resolver, [key]: value })).toBe(
        `JambonzAuthModule: options.${key} must be a non-negative number of seconds (got ${shown}).`,
      );
    });

    it.each<[unknown, string]>([
      [0, '0'],
      [-1, '-1'],
      [10.5, '10.5'],
      [Number.NaN, 'NaN'],
      ['5', '"5"'],
    ])('refuses a resolver timeout of %p', (value, shown) => {
      expect(moduleProblem({ secretResolver: resolver, secretResolverTimeout: value })).toBe(
        `JambonzAuthModule: options.secretResolverTimeout must be a positive number of seconds, at most 10 (got ${shown}): ` +
          'jambonz waits 10 s for a response.',
      );
    });

    it('accepts a resolver timeout up to 10 s, and a cache ttl of 0', () => {
      expect(validateModuleOptions({ secretResolver: resolver, secretResolverTimeout: 10 }).secretResolverTimeout).toBe(10);
      expect(validateModuleOptions({ secretResolver: resolver, secretResolverTimeout: 0.01 }).secretResolverTimeout).toBe(0.01);
      expect(validateModuleOptions({ secretResolver: resolver, secretResolverCacheTtl: 0 }).secretResolverCacheTtl).toBe(0);
    });
  });

  describe('basicAuth', () => {
    it.each<[string, unknown, string]>([
      ['an empty array', [], 'options.basicAuth is an empty array. Set { username, password } of the jambonz application hook.'],
      [
        'a string, never shown',
        'jambonz:pass',
        'options.basicAuth is a string, where { username, password } belongs: read the username and the password from two ' +
          'variables (a "user:pass" string is not split, and its password would show in errors).',
      ],
      ['a number', 42, 'options.basicAuth must be { username, password }.'],
      ['null in a list', [CREDENTIALS, null], 'options.basicAuth[1] must be { username, password }.'],
      [
        'a missing username',
        { password: 'x' },
        'options.basicAuth.username is undefined: the variable it is read from is probably not set, or the key is misspelt (the keys are username and password).',
      ],
      [
        'keys misspelt',
        { user: 'a', pass: 'x' },
        'options.basicAuth.username is undefined: the variable it is read from is probably not set, or the key is misspelt (the keys are username and password).',
      ],
      [
        'a username that is not a string',
        { username: 42, password: 'x' },
        "options.basicAuth.username must be a non-empty string without ':' (RFC 7617).",
      ],
      [
        'an empty username',
        [{ username: '', password: 'x' }],
        "options.basicAuth[0].username must be a non-empty string without ':' (RFC 7617).",
      ],
      [
        'a username with a colon',
        { username: 'a:b', password: 'x' },
        "options.basicAuth.username must be a non-empty string without ':' (RFC 7617).",
      ],
      [
        'a missing password',
        { username: 'a' },
        'options.basicAuth.password is undefined: the variable it is read from is probably not set, or the key is misspelt (the keys are username and password).',
      ],
      [
        'a password that is not a string',
        { username: 'a', password: null },
        'options.basicAuth.password must be a non-empty string.',
      ],
      [
        'an empty password',
        [CREDENTIALS, { username: 'a', password: '' }],
        'options.basicAuth[1].password must be a non-empty string.',
      ],
      ['a hole in a list', sparse(2, { 1: CREDENTIALS }), 'options.basicAuth[0] must be { username, password }.'],
      ['a hole at the end of a list', sparse(2, { 0: CREDENTIALS }), 'options.basicAuth[1] must be { username, password }.'],
      ["a username 'undefined'", { username: 'undefined', password: 'x' }, `options.basicAuth ${PLACEHOLDER_CREDENTIALS}`],
      ['a username of spaces', { username: '   ', password: 'x' }, `options.basicAuth ${INVISIBLE_CREDENTIALS}`],
      ['a password of one space', { username: 'a', password: ' ' }, `options.basicAuth ${INVISIBLE_CREDENTIALS}`],
      [
        'a password of a zero-width space',
        [{ username: 'a', password: '\u200b' }],
        `options.basicAuth[0] ${INVISIBLE_CREDENTIALS}`,
      ],
      [
        'a username of a byte-order mark',
        [CREDENTIALS, { username: '\ufeff', password: 'x' }],
        `options.basicAuth[1] ${INVISIBLE_CREDENTIALS}`,
      ],
      ['a password of a no-break space', { username: 'a', password: '\u00a0' }, `options.basicAuth ${INVISIBLE_CREDENTIALS}`],
      [
        'a password of a tab, invisible before it is a control',
        { username: 'a', password: '\t' },
        `options.basicAuth ${INVISIBLE_CREDENTIALS}`,
      ],
      ["a password 'null' in a list", [{ username: 'a', password: 'null' }], `options.basicAuth[0] ${PLACEHOLDER_CREDENTIALS}`],
      ['a password with a newline', { username: 'a', password: 'pass\n' }, `options.basicAuth ${CONTROL}`],
      ['a username with a DEL', [{ username: 'a\u007f', password: 'x' }], `options.basicAuth[0] ${CONTROL}`],
    ])('refuses %s', (_case, basicAuth, message) => {
      expect(moduleProblem({ basicAuth })).toBe(`JambonzAuthModule: ${message}`);
    });

    it('accepts spaces inside or around a username or password that is not only spaces', () => {
      const pairs = [
        { username: ' a ', password: ' p w ' },
        { username: 'a', password: '\u200bx' },
      ];
      expect(validateModuleOptions({ basicAuth: pairs }).basicAuth).toStrictEqual(pairs);
    });
  });

  describe('require', () => {
    it('refuses an unknown check, listing the four', () => {
      expect(moduleProblem({ secret: SECRET, require: 'all' })).toBe(
        "JambonzAuthModule: options.require must be one of 'signature', 'basic', 'either', 'both' (got \"all\").",
      );
    });

    const needsBasic = "which needs Basic credentials: set basicAuth (or a named credential set) in JambonzAuthModule's options.";
    const needsSecret = "which needs a webhook secret: set secret (or secretResolver) in JambonzAuthModule's options.";
    it.each<[string, object, string | undefined]>([
      ['signature with a secret', { secret: SECRET, require: 'signature' }, undefined],
      ['signature with a resolver', { secretResolver: resolver, require: 'signature' }, undefined],
      ['signature with credentials only', { basicAuth: CREDENTIALS, require: 'signature' }, `'signature', ${needsSecret}`],
      [
        'signature with credentials and named secrets only',
        { basicAuth: CREDENTIALS, namedSecrets: { partner: OTHER }, require: 'signature' },
        undefined,
      ],
      ['basic with credentials', { basicAuth: CREDENTIALS, require: 'basic' }, undefined],
      ['basic with a secret only', { secret: SECRET, require: 'basic' }, `'basic', ${needsBasic}`],
      [
        'basic with a secret and named credentials only',
        { secret: SECRET, namedCredentials: { status: CREDENTIALS }, require: 'basic' },
        undefined,
      ],
      ['both with both', { secret: SECRET, basicAuth: CREDENTIALS, require: 'both' }, undefined],
      ['both with a secret only', { secret: SECRET, require: 'both' }, `'both', ${needsBasic}`],
      ['both with credentials only', { basicAuth: CREDENTIALS, require: 'both' }, `'both', ${needsSecret}`],
      [
        'either with a resolver and credentials',
        { secretResolver: resolver, basicAuth: CREDENTIALS, require: 'either' },
        undefined,
      ],
      ['either with a resolver only', { secretResolver: resolver, require: 'either' }, `'either', ${needsBasic}`],
      ['either with credentials only', { basicAuth: CREDENTIALS, require: 'either' }, `'either', ${needsSecret}`],
    ])('%s', (_case, options, missing) => {
      if (missing === undefined) {
        expect(validateModuleOptions(options).require).toBe((options as { require: string }).require);
      } else {
        expect(moduleProblem(options)).toBe(`JambonzAuthModule: options.require is ${missing}`);
      }
    });
  });

  describe('tolerance', () => {
    it.each<[unknown, string]>([
      [0, '0'],
      [-5, '-5'],
      [3600.5, '3600.5'],
      [3601, '3601'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      [Number.NaN, 'NaN'],
      ['300', '"300"'],
      [null, 'null'],
    ])('refuses %p, saying the range and why', (tolerance, shown) => {
      expect(moduleProblem({ secret: SECRET, tolerance })).toBe(TOLERANCE_RANGE('options.tolerance', shown));
    });

    it('accepts up to MAX_TOLERANCE_SECONDS, fractions included', () => {
      expect(validateModuleOptions({ secret: SECRET, tolerance: 3600 }).tolerance).toBe(3600);
      expect(validateModuleOptions({ secret: SECRET, tolerance: 0.5 }).tolerance).toBe(0.5);
    });
  });

  describe('maxBodyBytes', () => {
    it.each<[unknown, string]>([
      [0, '0'],
      [-1, '-1'],
      [1.5, '1.5'],
      [2 ** 53, String(2 ** 53)],
      [Number.NaN, 'NaN'],
      ['1024', '"1024"'],
      [[], 'an array'],
      [{}, 'an object'],
    ])('refuses %p', (maxBodyBytes, shown) => {
      expect(moduleProblem({ secret: SECRET, maxBodyBytes })).toBe(
        `JambonzAuthModule: options.maxBodyBytes must be a positive whole number of bytes (got ${shown}).`,
      );
    });

    it('accepts 1 and the largest safe integer', () => {
      expect(validateModuleOptions({ secret: SECRET, maxBodyBytes: 1 }).maxBodyBytes).toBe(1);
      expect(validateModuleOptions({ secret: SECRET, maxBodyBytes: 2 ** 53 - 1 }).maxBodyBytes).toBe(2 ** 53 - 1);
    });
  });

  describe('realm, which goes inside a quoted string', () => {
    it.each<[string, unknown]>([
      ['an empty realm', ''],
      ['a double quote', 'a"b'],
      ['a backslash', 'a\\b'],
      ['NUL', 'a\u0000b'],
      ['a newline', 'a\nb'],
      ['U+001F', 'a\u001fb'],
      ['DEL', 'a\u007fb'],
      ['a tab', 'a\tb'],
      ['a number', 5],
      ['null', null],
      // Node writes the header as Latin-1: anything past ASCII would not reach the client as written.
      ['a C1 control (U+0080)', 'a\u0080b'],
      ['a Latin-1 letter (é)', 'é'],
      ['a pasted en dash', 'a\u2013b'],
      ['a no-break space', 'a\u00a0b'],
      ['an emoji', 'a\u{1f600}'],
    ])('refuses %s', (_case, realm) => {
      expect(moduleProblem({ secret: SECRET, realm })).toBe(
        'JambonzAuthModule: options.realm must be a non-empty string of printable ASCII without quotes or backslashes.',
      );
    });

    it.each([' ', '!', '#', '[', ']', '~', "it's", 'a b/c', 'x'.repeat(300)])('accepts %p', (realm) => {
      expect(validateModuleOptions({ secret: SECRET, realm }).realm).toBe(realm);
    });
  });

  describe.each(['allowOptionsRequests', 'allowReserializedBody', 'allowWellKnownSecret', 'allowSecretWhitespace'])(
    'the flag %s',
    (key) => {
      it.each<[unknown, string]>([
        ['yes', '"yes"'],
        [1, '1'],
        [null, 'null'],
        ['true', '"true"'],
      ])('refuses %p', (value, shown) => {
        expect(moduleProblem({ secret: SECRET, [key]: value })).toBe(
          `JambonzAuthModule: options.${key} must be true or false (got ${shown}).`,
        );
      });

      it('takes true and false', () => {
        expect(validateModuleOptions({ secret: SECRET, [key]: true })[key as 'realm']).toBe(true);
        expect(validateModuleOptions({ secret: SECRET, [key]: false })[key as 'realm']).toBe(false);
      });
    },
  );

  describe('clock', () => {
    const CLOCK = (shown: string) =>
      'JambonzAuthModule: options.clock must return the Unix time in seconds, 1000000000 to 9999999999 (it returned ' +
      `${shown}; milliseconds? divide by 1000).`;

    it('refuses a clock that is not a function', () => {
      expect(moduleProblem({ secret: SECRET, clock: 1715000000 })).toBe(
        'JambonzAuthModule: options.clock must be a function returning the Unix time in seconds.',
      );
    });

    it.each<[string, () => unknown, string]>([
      ['milliseconds', () => 1715000000123, '1715000000123'],
      ['the first value past the largest timestamp', () => 10_000_000_000, '10000000000'],
      ['a negative time', () => -1, '-1'],
      ['a time just below 0', () => -0.5, '-0.5'],
      // Seconds since the process started, or a clock that was never set.
      ['0', () => 0, '0'],
      ['seconds since the process started', () => 12.5, '12.5'],
      ['the last second before 1000000000', () => 999_999_999, '999999999'],
      ['a fraction below 1000000000', () => 999_999_999.9, '999999999.9'],
      ['NaN', () => Number.NaN, 'NaN'],
      ['Infinity', () => Number.POSITIVE_INFINITY, 'Infinity'],
      ['a string', () => '1715000000', '"1715000000"'],
      ['a Date', () => new Date(1715000000000), 'an object'],
      ['nothing', () => undefined, 'undefined'],
      [
        'an error',
        () => {
          throw new Error('no clock');
        },
        '"an error"',
      ],
    ])('refuses a clock that answers %s, at bootstrap', (_case, clock, shown) => {
      expect(moduleProblem({ secret: SECRET, clock })).toBe(CLOCK(shown));
    });

    it.each<[string, number]>([
      ['1000000000, the earliest (2001-09-09)', 1_000_000_000],
      ['seconds with a fraction', 1715000000.123],
      ['the largest timestamp', 9_999_999_999],
      ['just below the first value past it', 9_999_999_999.9],
    ])('accepts a clock that answers %s, and keeps it', (_case, now) => {
      const clock = () => now;
      expect(validateModuleOptions({ secret: SECRET, clock }).clock).toBe(clock);
    });

    it('asks the clock once, at bootstrap', () => {
      let calls = 0;
      validateModuleOptions({ secret: SECRET, clock: () => ++calls && 1715000000 });
      expect(calls).toBe(1);
    });
  });

  describe('replay', () => {
    const store = new MemoryReplayStore();
    const methods = { claim() {}, renew() {}, consume() {}, release() {} };
    const without = (name: keyof typeof methods) => Object.fromEntries(Object.entries(methods).filter(([key]) => key !== name));
    const TTL = (shown: string) =>
      `JambonzAuthModule: options.replay.ttl must be a positive number of seconds, at most 86400 (got ${shown}).`;
    const LEASE = (shown: string) =>
      `JambonzAuthModule: options.replay.lease must be a positive number of seconds, at least 1, at most 3600 (got ${shown}).`;
    const TIMEOUT = (shown: string) =>
      `JambonzAuthModule: options.replay.timeout must be a positive number of seconds, at most 10 (got ${shown}): ` +
      'jambonz waits 10 s for a response.';
    const HALF_LEASE = (timeout: string, lease: string) =>
      `JambonzAuthModule: options.replay.timeout (${timeout} s) must be at most half of options.replay.lease (${lease} s), ` +
      'so that the lease is renewed before it lapses: raise the lease or lower the timeout.';

    it.each<[string, unknown, string]>([
      ['not an object', true, 'JambonzAuthModule: options.replay must be an object (got true).'],
      ['an array', [store], 'JambonzAuthModule: options.replay must be an object (got an array).'],
      [
        'an unknown key',
        { store, size: 5 },
        "JambonzAuthModule: options.replay has an unknown key 'size'. Known keys: store, ttl, lease, timeout, onStoreError.",
      ],
      [
        'no store',
        {},
        'JambonzAuthModule: options.replay.store is missing: new MemoryReplayStore() for one instance, ' +
          'or new RedisReplayStore(redisClient) for several.',
      ],
      [
        'a store given as undefined',
        { store: undefined },
        'JambonzAuthModule: options.replay.store is missing: new MemoryReplayStore() for one instance, ' +
          'or new RedisReplayStore(redisClient) for several.',
      ],
      ['a store that is null', { store: null }, STORE],
      ['a store that is a string', { store: 'redis://localhost' }, STORE],
      ['a store without claim', { store: without('claim') }, STORE],
      ['a store without renew', { store: without('renew') }, STORE],
      ['a store without consume', { store: without('consume') }, STORE],
      ['a store without release', { store: without('release') }, STORE],
      ['a store whose claim is not a function', { store: { ...methods, claim: 'claim' } }, STORE],
      ['a function carrying the four methods (a class, say)', { store: Object.assign(() => undefined, methods) }, STORE],
      [
        'an unknown failure mode',
        { store, onStoreError: 'ignore' },
        `JambonzAuthModule: options.replay.onStoreError must be one of 'reject', 'allow' (got "ignore").`,
      ],
      ['a zero ttl', { store, ttl: 0 }, TTL('0')],
      ['a ttl over a day', { store, ttl: 86_400.5 }, TTL('86400.5')],
      ['a ttl in milliseconds', { store, ttl: 600_000 }, TTL('600000')],
      ['a ttl that is a string', { store, ttl: '600' }, TTL('"600"')],
      ['a lease under a second', { store, lease: 0.5 }, LEASE('0.5')],
      ['a zero lease', { store, lease: 0 }, LEASE('0')],
      ['a lease over an hour', { store, lease: 3601 }, LEASE('3601')],
      ['an infinite lease', { store, lease: Number.POSITIVE_INFINITY }, LEASE('Infinity')],
      ['a negative timeout', { store, timeout: -1 }, TIMEOUT('-1')],
      ['a zero timeout', { store, timeout: 0 }, TIMEOUT('0')],
      ['a timeout over the 10 s jambonz waits', { store, lease: 60, timeout: 10.5 }, TIMEOUT('10.5')],
      ['a timeout in milliseconds', { store, lease: 3600, timeout: 1000 }, TIMEOUT('1000')],
      // The lease is renewed every third of it, and a renewal may take the whole timeout.
      ['the default timeout of 1 s over a lease of 1 s', { store, lease: 1 }, HALF_LEASE('1', '1')],
      ['a timeout just over half the lease', { store, lease: 3, timeout: 1.51 }, HALF_LEASE('1.51', '3')],
      ['a timeout of 10 s over the default lease of 30 s halved', { store, lease: 19.9, timeout: 10 }, HALF_LEASE('10', '19.9')],
      ['a timeout equal to the lease', { store, lease: 5, timeout: 5 }, HALF_LEASE('5', '5')],
    ])('refuses %s', (_case, replay, message) => {
      expect(moduleProblem({ secret: SECRET, replay })).toBe(message);
    });

    it('accepts any object with the four methods, a lease of 1 s with a timeout of half of it, and either failure mode', () => {
      expect(
        validateModuleOptions({ secret: SECRET, replay: { store: methods, lease: 1, timeout: 0.5, onStoreError: 'allow' } })
          .replay,
      ).toStrictEqual({
        store: methods,
        ttl: undefined,
        lease: 1,
        timeout: 0.5,
        onStoreError: 'allow',
      });
      expect(validateModuleOptions({ secret: SECRET, replay: { store, onStoreError: 'reject' } }).replay!.onStoreError).toBe(
        'reject',
      );
    });

    it.each<[string, object]>([
      ['a timeout of exactly half the lease', { lease: 2, timeout: 1 }],
      ['the largest timeout with a lease of twice it', { lease: 20, timeout: 10 }],
      ['the largest lease and ttl', { lease: 3600, ttl: 86_400, timeout: 10 }],
      ['the smallest lease with a small timeout', { lease: 1, timeout: 0.001 }],
      ['fractions everywhere', { lease: 2.5, timeout: 1.25, ttl: 0.5 }],
    ])('accepts %s', (_case, numbers) => {
      expect(validateModuleOptions({ secret: SECRET, replay: { store, ...numbers } }).replay).toMatchObject(numbers);
    });
  });

  // A string where an object or a function belongs may be a secret put in the wrong place: the
  // bootstrap error says how long it is, never what it is (JambonzAuthConfigError's promise).
  it.each<[string, unknown, string, string]>([
    [
      'the factory returning the secret instead of options',
      OTHER,
      OTHER,
      'JambonzAuthModule: options must be an object (got a string of 28 characters).',
    ],
    [
      'the secret given as secretResolver',
      { secretResolver: OTHER },
      OTHER,
      'JambonzAuthModule: options.secretResolver must be a function (context) => secret(s) (got a string of 28 characters).',
    ],
    [
      'the secret given as namedSecrets',
      { secret: SECRET, namedSecrets: OTHER },
      OTHER,
      'JambonzAuthModule: options.namedSecrets must be an object (got a string of 28 characters).',
    ],
    [
      "a short secret in jambonz's format given as onDecision",
      { secret: SECRET, onDecision: 'wh_secret_x' },
      'wh_secret_x',
      'JambonzAuthModule: options.onDecision must be a function (decision) => void (got a string of 11 characters).',
    ],
    [
      'a long user:pass string given as namedCredentials',
      { secret: SECRET, namedCredentials: 'jambonz:a-long-password-1' },
      'a-long-password-1',
      'JambonzAuthModule: options.namedCredentials must be an object (got a string of 25 characters).',
    ],
  ])('refuses %s without showing the value', (_case, options, value, message) => {
    expect(moduleProblem(options)).toBe(message);
    expect(message).not.toContain(value);
  });

  // BUG (src/jambonz-auth-options.rules.ts, mayBeSecret() and describe()): a string of at most 20
  // characters that does not start with wh_secret_ is still quoted in full, so a short `user:pass`
  // (Basic credentials are often short) put where an object belongs reaches the bootstrap log. It
  // stays `it.failing` until such values are no longer echoed: then Jest reports it, and `.failing` goes.
  it.failing.each<[string, unknown, string]>([
    ['a user:pass string given as namedCredentials', { secret: SECRET, namedCredentials: 'jambonz:p:ss wörd' }, 'p:ss wörd'],
  ])('BUG: refuses %s without showing the value', (_case, options, value) => {
    expect(moduleProblem(options)).not.toContain(value);
  });

  describe('websocket', () => {
    it.each<[string, unknown, string]>([
      ['not an object', 1024, 'options.websocket must be an object (got 1024).'],
      ['an array', [1024], 'options.websocket must be an object (got an array).'],
      [
        'an unknown key',
        { maxFrameBytes: 1024 },
        "options.websocket has an unknown key 'maxFrameBytes'. Known keys: maxIncomingFrameBytes, maxOutgoingFrameBytes.",
      ],
      [
        'a zero incoming limit',
        { maxIncomingFrameBytes: 0 },
        'options.websocket.maxIncomingFrameBytes must be a positive whole number of bytes (got 0).',
      ],
      [
        'a fractional outgoing limit',
        { maxOutgoingFrameBytes: 1.5 },
        'options.websocket.maxOutgoingFrameBytes must be a positive whole number of bytes (got 1.5).',
      ],
    ])('refuses %s', (_case, websocket, message) => {
      expect(moduleProblem({ secret: SECRET, websocket })).toBe(`JambonzAuthModule: ${message}`);
    });
  });

  describe('observability', () => {
    const meterProvider = { getMeter: () => ({}) };

    it('takes an onDecision listener, and refuses anything else', () => {
      const onDecision = () => undefined;
      expect(validateModuleOptions({ secret: SECRET, onDecision }).onDecision).toBe(onDecision);
      expect(moduleProblem({ secret: SECRET, onDecision: { decided: onDecision } })).toBe(
        'JambonzAuthModule: options.onDecision must be a function (decision) => void (got an object).',
      );
    });

    it.each<[string, unknown, unknown]>([
      ['false, the default', false, false],
      ['true, for the global meter provider', true, { meterProvider: undefined }],
      ['an empty object, for the global meter provider', {}, { meterProvider: undefined }],
      ['an object with a meter provider', { meterProvider }, { meterProvider }],
    ])('takes metrics: %s', (_case, metrics, validated) => {
      expect(validateModuleOptions({ secret: SECRET, metrics }).metrics).toStrictEqual(validated);
    });

    it.each<[string, unknown, string]>([
      ['a string', 'prometheus', 'options.metrics must be an object (got "prometheus").'],
      ['an unknown key', { exporter: 'otlp' }, "options.metrics has an unknown key 'exporter'. Known keys: meterProvider."],
      ...[
        ['a meter provider without getMeter', { meterProvider: { getMeterProvider: () => undefined } }],
        ['a meter provider that is null', { meterProvider: null }],
        ['a meter provider that is a function', { meterProvider: () => ({}) }],
      ].map(([what, metrics]): [string, unknown, string] => [
        what as string,
        metrics,
        'options.metrics.meterProvider must be an OpenTelemetry MeterProvider (an object with getMeter()), e.g. new ' +
          'MeterProvider({ readers }) of @opentelemetry/sdk-metrics; leave it out for the global one.',
      ]),
    ])('refuses metrics as %s', (_case, metrics, message) => {
      expect(moduleProblem({ secret: SECRET, metrics })).toBe(`JambonzAuthModule: ${message}`);
    });

    it.each<[string, unknown, unknown]>([
      ['false', false, false],
      ['true, with the default unusedAfter of a day', true, { unusedAfter: 86_400 }],
      ['an empty object, with the default unusedAfter', {}, { unusedAfter: 86_400 }],
      ['an unusedAfter in seconds', { unusedAfter: 600 }, { unusedAfter: 600 }],
    ])('takes credentialUsage: %s', (_case, credentialUsage, validated) => {
      expect(validateModuleOptions({ secret: SECRET, credentialUsage }).credentialUsage).toStrictEqual(validated);
    });

    it.each<[string, unknown, string]>([
      ['a number', 3600, 'options.credentialUsage must be an object (got 3600).'],
      ['an unknown key', { after: 60 }, "options.credentialUsage has an unknown key 'after'. Known keys: unusedAfter."],
      [
        'a zero unusedAfter',
        { unusedAfter: 0 },
        'options.credentialUsage.unusedAfter must be a positive number of seconds (got 0).',
      ],
    ])('refuses credentialUsage as %s', (_case, credentialUsage, message) => {
      expect(moduleProblem({ secret: SECRET, credentialUsage })).toBe(`JambonzAuthModule: ${message}`);
    });
  });

  it('checks the options in the order of the table: the first problem is the one reported', () => {
    expect(moduleProblem({ secret: '', tolerance: 0, realm: '' })).toBe(
      `JambonzAuthModule: options.secret ${SECRET_MESSAGES.empty}`,
    );
  });
});

describe('validateWebhookOptions', () => {
  const NONE = UNSET_WEBHOOK_OPTIONS;

  it('takes no options as none set, and freezes what it returns', () => {
    for (const options of [undefined, null, {}]) {
      const valid = validateWebhookOptions(options, WHERE);
      expect(valid).toStrictEqual(NONE);
      expect(Object.isFrozen(valid)).toBe(true);
    }
  });

  it.each<[string, object]>([
    ['require', { require: 'basic' }],
    ['tolerance', { tolerance: 3600 }],
    ['a credential set', { credentials: 'status' }],
    ["the unnamed credential set, by its name 'default'", { credentials: 'default' }],
    ['a secret set', { secrets: 'partner' }],
    ['allowOptionsRequests false', { allowOptionsRequests: false }],
    ['allowOptionsRequests true', { allowOptionsRequests: true }],
    ['replay false', { replay: false }],
    ['replay true', { replay: true }],
  ])('returns exactly what was set: %s', (_case, options) => {
    expect(validateWebhookOptions(options, WHERE)).toStrictEqual({ ...NONE, ...options });
  });

  it('refuses basicAuth, saying where credentials go', () => {
    expect(configProblem(() => validateWebhookOptions({ basicAuth: CREDENTIALS }, WHERE))).toBe(
      `JambonzAuthModule: ${WHERE}: basicAuth is not a route option. Decorator arguments are evaluated when the file is imported, ` +
        'before configuration loads, so credentials belong in the module: add them to namedCredentials in ' +
        "JambonzAuthModule's options (from ConfigService) and pick them here with { credentials: 'name' }.",
    );
  });

  it.each(['require', 'tolerance', 'credentials', 'secrets', 'allowOptionsRequests', 'replay'])(
    'refuses %s given as undefined: decorator arguments are read before configuration loads',
    (key) => {
      expect(configProblem(() => validateWebhookOptions({ [key]: undefined }, WHERE))).toBe(
        `JambonzAuthModule: ${WHERE}: ${key} is undefined. Decorator arguments are evaluated when the file is imported, before ` +
          'ConfigModule loads .env, so process.env values are not there yet: use a literal (a set name, a number), ' +
          "and keep values from configuration in JambonzAuthModule's options.",
      );
    },
  );

  it.each<[string, unknown, string]>([
    ['not an object', 'basic', `${WHERE} must be an object (got "basic").`],
    [
      'an unknown key',
      { required: 'basic' },
      `${WHERE} has an unknown key 'required'. Known keys: require, tolerance, credentials, secrets, allowOptionsRequests, replay.`,
    ],
    [
      'an unknown key given as undefined',
      { secret: undefined },
      `${WHERE} has an unknown key 'secret'. Known keys: require, tolerance, credentials, secrets, allowOptionsRequests, replay.`,
    ],
    [
      'an unknown check',
      { require: 'any' },
      `${WHERE}.require must be one of 'signature', 'basic', 'either', 'both' (got "any").`,
    ],
    ['a zero tolerance', { tolerance: 0 }, TOLERANCE_RANGE(`${WHERE}.tolerance`, '0').slice('JambonzAuthModule: '.length)],
    [
      'a tolerance over an hour',
      { tolerance: 7200 },
      TOLERANCE_RANGE(`${WHERE}.tolerance`, '7200').slice('JambonzAuthModule: '.length),
    ],
    [
      'a non-boolean allowOptionsRequests',
      { allowOptionsRequests: 0 },
      `${WHERE}.allowOptionsRequests must be true or false (got 0).`,
    ],
    ['a non-boolean replay', { replay: 'off' }, `${WHERE}.replay must be true or false (got "off").`],
  ])('refuses %s, naming the route', (_case, options, message) => {
    expect(configProblem(() => validateWebhookOptions(options, WHERE))).toBe(`JambonzAuthModule: ${message}`);
  });

  describe('set names', () => {
    const NAME = (key: string, hint = '') =>
      `JambonzAuthModule: ${WHERE}.${key} must be the name of a set of the module's options (1 to 64 letters, digits, '_', '.' ` +
      `or '-', not 'undefined' or 'null'; 'default' for the unnamed one)${hint}.`;
    const HINT = ', not a secret or a credential itself';

    it.each<[string, unknown, string]>([
      ['a number', 42, ''],
      ['a list of 21 names', new Array(21).fill('status'), ''],
      ['an empty name', '', ''],
      ['a name with a space', 'call status', ''],
      ['a name of 65 characters', 'x'.repeat(65), HINT],
      ['an invalid name of 20 characters', 'jambonz:p:ss-wrd-20c', ''],
      ['an invalid value of 21 characters, likely a credential', 'jambonz:p:ss-wrd-21ch', HINT],
      ["a short invalid value in jambonz's secret format", 'wh_secret_a/b', HINT],
      ['a short invalid value that only contains the prefix', 'x/wh_secret_', ''],
      ["'undefined', from a variable that is not set", 'undefined', ''],
      ["'null'", 'null', ''],
    ])('refuses %s', (_case, name, hint) => {
      expect(configProblem(() => validateWebhookOptions({ credentials: name }, WHERE))).toBe(NAME('credentials', hint));
      expect(configProblem(() => validateWebhookOptions({ secrets: name }, WHERE))).toBe(NAME('secrets', hint));
    });
  });
});

describe('validateGatewayOptions', () => {
  const GATEWAY = '@JambonzGateway() on CallGateway';
  const API = { path: '/ws', kind: 'api' };
  const gatewayProblem = (options: unknown) => configProblem(() => validateGatewayOptions(options, GATEWAY));
  const UNSET = { credentials: undefined, open: undefined, port: 0, maxIncomingFrameBytes: undefined };

  it('normalises the path as Nest compares it, fills in port 0 and freezes what it returns', () => {
    const valid = validateGatewayOptions({ path: 'ws//calls/', kind: 'audio' }, GATEWAY);
    expect(valid).toStrictEqual({ ...UNSET, path: '/ws/calls', kind: 'audio' });
    expect(Object.isFrozen(valid)).toBe(true);
  });

  it.each<[string, object]>([
    ['credentials', { credentials: 'calls' }],
    ['open without credentials', { open: true }],
    ['open: false with credentials', { open: false, credentials: 'calls' }],
    ['a frame limit', { maxIncomingFrameBytes: 4096 }],
  ])('returns exactly what was set: %s', (_case, options) => {
    expect(validateGatewayOptions({ ...API, ...options }, GATEWAY)).toStrictEqual({ ...UNSET, ...API, ...options });
  });

  it.each([0, 1, 8081, 65535])('accepts port %p', (port) => {
    expect(validateGatewayOptions({ ...API, port }, GATEWAY).port).toBe(port);
  });

  it.each<[unknown, string]>([
    [-1, '-1'],
    [65536, '65536'],
    [1.5, '1.5'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    ['80', '"80"'],
    [null, 'null'],
  ])('refuses port %p, saying what a port is', (port, shown) => {
    expect(gatewayProblem({ ...API, port })).toBe(
      `JambonzAuthModule: ${GATEWAY}.port must be a port number, 1 to 65535, or 0 for the application's own server (got ${shown}).`,
    );
  });

  it.each(['/', '', '/ws/calls', '/audio-fork_1.0'])('accepts path %p', (path) => {
    expect(() => validateGatewayOptions({ ...API, path }, GATEWAY)).not.toThrow();
  });

  it.each<[string, unknown, string]>([
    ['a query string', '/ws?token=x', '"/ws?token=x"'],
    ['a query string at the end', '/ws?', '"/ws?"'],
    ['a fragment', '/ws#top', '"/ws#top"'],
    ['a space inside', '/ws calls', '"/ws calls"'],
    ['a space at the start', ' /ws', '" /ws"'],
    ['a line break at the end', '/ws\n', '"/ws\\n"'],
    ['a number', 42, '42'],
    ['an array', ['/ws'], 'an array'],
  ])('refuses a path with %s, saying what a path is', (_case, path, shown) => {
    expect(gatewayProblem({ ...API, path })).toBe(
      `JambonzAuthModule: ${GATEWAY}.path must be a path such as '/ws', without spaces, query string or fragment (got ${shown}).`,
    );
  });

  it('refuses a missing path, saying what to set', () => {
    expect(gatewayProblem({ kind: 'api' })).toBe(
      `JambonzAuthModule: ${GATEWAY}: path is missing: the endpoint's path, as in the jambonz URL ('/ws' for ws://host/ws).`,
    );
  });

  it('refuses a missing kind, saying what each kind is for', () => {
    expect(gatewayProblem({ path: '/ws' })).toBe(
      `JambonzAuthModule: ${GATEWAY}: kind is missing: 'api' for jambonz's WebSocket API (a ws:// call hook), ` +
        "'audio' for a listen or stream verb's audio.",
    );
  });

  it('refuses open: true with credentials, which would never be checked', () => {
    expect(gatewayProblem({ ...API, open: true, credentials: 'calls' })).toBe(
      `JambonzAuthModule: ${GATEWAY}: open: true checks no credentials, so credentials: 'calls' would never be checked. Drop one of them.`,
    );
  });

  it('refuses basicAuth, saying where credentials go', () => {
    expect(gatewayProblem({ ...API, basicAuth: CREDENTIALS })).toBe(
      `JambonzAuthModule: ${GATEWAY}: basicAuth is not a gateway option. Decorator arguments are evaluated when the file is imported, ` +
        'before configuration loads, so credentials belong in the module: add them to namedCredentials in ' +
        "JambonzAuthModule's options (from ConfigService) and pick them here with { credentials: 'name' }.",
    );
  });
});

describe('mayBeSecret', () => {
  it.each<[string, string, boolean]>([
    ['the empty string', '', false],
    ['a set name', 'partner', false],
    ['20 characters', 'x'.repeat(20), false],
    ['21 characters', 'x'.repeat(21), true],
    ['a long string', 'x'.repeat(1000), true],
    ["jambonz's prefix alone", 'wh_secret_', true],
    ["a short string in jambonz's format", 'wh_secret_a', true],
    ['the prefix in another case', 'WH_SECRET_a', false],
    ['the prefix not at the start', 'my_wh_secret_', false],
    ['the prefix without its last underscore', 'wh_secret', false],
    ['20 characters counted in UTF-16 units', '\u{1f511}'.repeat(10), false],
    ['21 characters counted in UTF-16 units', `${'\u{1f511}'.repeat(10)}x`, true],
  ])('%s: %p', (_case, value, expected) => {
    expect(mayBeSecret(value)).toBe(expected);
  });
});

describe('assertMaterial', () => {
  it.each<[string, boolean, boolean, 'secret' | 'basic' | undefined]>([
    ['signature', true, false, undefined],
    ['signature', true, true, undefined],
    ['signature', false, true, 'secret'],
    ['basic', false, true, undefined],
    ['basic', true, false, 'basic'],
    ['either', true, true, undefined],
    ['either', false, true, 'secret'],
    ['either', true, false, 'basic'],
    ['both', true, true, undefined],
    ['both', false, false, 'secret'],
    ['both', true, false, 'basic'],
  ])('%s with secret=%p and basic=%p', (check, hasSecret, hasBasic, missing) => {
    const run = () => assertMaterial(check as 'both', hasSecret, hasBasic, 'Route.handler.require');
    if (missing === undefined) {
      expect(run).not.toThrow();
    } else if (missing === 'secret') {
      expect(configProblem(run)).toBe(
        `JambonzAuthModule: Route.handler.require is '${check}', which needs a webhook secret: set secret (or secretResolver) in JambonzAuthModule's options.`,
      );
    } else {
      expect(configProblem(run)).toBe(
        `JambonzAuthModule: Route.handler.require is '${check}', which needs Basic credentials: set basicAuth (or a named credential set) in JambonzAuthModule's options.`,
      );
    }
  });
});
