import { createJambonzAuthConfig } from './jambonz-auth-options.validator.js';
import { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
import { createRoutePolicy } from './jambonz-route-policy.js';
import { MemoryReplayStore } from './replay/memory-replay.store.js';

const SECRET = 'wh_secret_routePolicySpec001';
const MODULE_CREDENTIALS = { username: 'module', password: 'module-pass' };
const ROUTE_CREDENTIALS = { username: 'route-user', password: 'route:pass' };
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const WHERE = 'CallController.onStatus';

describe('createRoutePolicy', () => {
  describe('require, when the route does not say', () => {
    it.each<[string, object, string]>([
      ['a secret and credentials: both', { secret: SECRET, basicAuth: MODULE_CREDENTIALS }, 'both'],
      ['a resolver and credentials: both', { secretResolver: () => SECRET, basicAuth: MODULE_CREDENTIALS }, 'both'],
      ['a secret only: signature', { secret: SECRET }, 'signature'],
      ['a resolver only: signature', { secretResolver: () => SECRET }, 'signature'],
      ['credentials only: basic', { basicAuth: MODULE_CREDENTIALS }, 'basic'],
      ["the module's require", { secret: SECRET, basicAuth: MODULE_CREDENTIALS, require: 'either' }, 'either'],
    ])('%s', (_case, options, require) => {
      expect(createRoutePolicy(createJambonzAuthConfig(options), {}, WHERE).require).toBe(require);
    });

    it("counts the route's own credentials as material", () => {
      const policy = createRoutePolicy(createJambonzAuthConfig({ secret: SECRET }), { basicAuth: ROUTE_CREDENTIALS }, WHERE);
      expect(policy.require).toBe('both');
    });
  });

  it("takes the route's require over the module's", () => {
    const config = createJambonzAuthConfig({ secret: SECRET, basicAuth: MODULE_CREDENTIALS, require: 'both' });
    expect(createRoutePolicy(config, { require: 'signature' }, WHERE).require).toBe('signature');
  });

  it("refuses a route's require that nothing provides material for, naming the route", () => {
    const config = createJambonzAuthConfig({ secret: SECRET });
    expect(() => createRoutePolicy(config, { require: 'basic' }, WHERE)).toThrow(
      new JambonzAuthConfigError(
        `${WHERE}.require is 'basic', which needs Basic credentials: set basicAuth in JambonzAuthModule.forRoot() or on the route.`,
      ),
    );
    const basicOnly = createJambonzAuthConfig({ basicAuth: MODULE_CREDENTIALS });
    expect(() => createRoutePolicy(basicOnly, { require: 'either' }, WHERE)).toThrow(
      `${WHERE}.require is 'either', which needs a webhook secret`,
    );
  });

  it("uses the module's credentials, or the route's own instead", () => {
    const config = createJambonzAuthConfig({ secret: SECRET, basicAuth: MODULE_CREDENTIALS });
    expect(createRoutePolicy(config, {}, WHERE).basicAuth).toBe(config.basicAuth);
    const own = createRoutePolicy(config, { basicAuth: [ROUTE_CREDENTIALS] }, WHERE).basicAuth!;
    expect(own.verify(basic('route-user', 'route:pass'))).toBe('route-user');
    expect(() => own.verify(basic('module', 'module-pass'))).toThrow(expect.objectContaining({ reason: 'credentials_mismatch' }));
    expect(createRoutePolicy(createJambonzAuthConfig({ secret: SECRET }), {}, WHERE).basicAuth).toBeUndefined();
  });

  it("takes the route's tolerance and OPTIONS rule over the module's", () => {
    const config = createJambonzAuthConfig({ secret: SECRET, tolerance: 120, allowOptionsRequests: false });
    expect(createRoutePolicy(config, {}, WHERE)).toMatchObject({ tolerance: 120, allowOptionsRequests: false });
    expect(createRoutePolicy(config, { tolerance: 30, allowOptionsRequests: true }, WHERE)).toMatchObject({
      tolerance: 30,
      allowOptionsRequests: true,
    });
  });

  describe('replay', () => {
    const withReplay = createJambonzAuthConfig({ secret: SECRET, replay: { store: new MemoryReplayStore() } });
    const without = createJambonzAuthConfig({ secret: SECRET });

    it('is on for every route when the module sets it, unless the route opts out', () => {
      expect(createRoutePolicy(withReplay, {}, WHERE).replay).toBe(true);
      expect(createRoutePolicy(withReplay, { replay: true }, WHERE).replay).toBe(true);
      expect(createRoutePolicy(withReplay, { replay: false }, WHERE).replay).toBe(false);
    });

    it('is off without the module setting it', () => {
      expect(createRoutePolicy(without, {}, WHERE).replay).toBe(false);
      expect(createRoutePolicy(without, { replay: false }, WHERE).replay).toBe(false);
    });

    it('refuses a route that asks for it without a store', () => {
      expect(() => createRoutePolicy(without, { replay: true }, WHERE)).toThrow(
        new JambonzAuthConfigError(
          `${WHERE}.replay is true, which needs a store: set replay: { store } in JambonzAuthModule.forRoot().`,
        ),
      );
    });
  });

  it('returns exactly the policy', () => {
    const config = createJambonzAuthConfig({ secret: SECRET });
    expect(createRoutePolicy(config, {}, WHERE)).toStrictEqual({
      require: 'signature',
      tolerance: 300,
      basicAuth: undefined,
      allowOptionsRequests: true,
      replay: false,
    });
  });
});
