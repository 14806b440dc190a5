import { EXCEPTION_FILTERS_METADATA, INTERCEPTORS_METADATA } from '@nestjs/common/constants.js';
import { JambonzAuthConfigError } from '../jambonz-auth-config.error.js';
import { createJambonzAuthConfig } from '../jambonz-auth.config.js';
import { JambonzGateway } from './jambonz-gateway.decorator.js';
import { createGatewayPolicy, type JambonzGatewayDeclaration } from './jambonz-gateway.policy.js';
import { JambonzWsExceptionFilter } from './jambonz-ws-exception.filter.js';
import { JambonzReplyInterceptor } from './jambonz-ws-reply.interceptor.js';
import { AUDIO_FORK_MAX_FRAME_BYTES, JAMBONZ_GATEWAY } from './jambonz-ws.constants.js';

// What the decorator records and refuses, and how a declaration meets the module's configuration;
// test/websocket*.e2e-spec.ts show what Nest and JambonzWsAdapter do with it.

const CALL_HOOK = { username: 'jambonz', password: 'p:ss wörd' };

/** The options `@JambonzGateway()` gives `@WebSocketGateway()`, and the port, as Nest reads them. */
function gatewayOf(target: object) {
  return {
    options: Reflect.getMetadata('websockets:gateway_options', target) as Record<string | symbol, unknown>,
    port: Reflect.getMetadata('port', target) as number,
    isGateway: Reflect.getMetadata('websockets:is_gateway', target) as boolean,
  };
}

/** Declares a class with `options`, returning it. */
function declare(options: unknown): object {
  class Gateway {}
  JambonzGateway(options as Parameters<typeof JambonzGateway>[0])(Gateway);
  return Gateway;
}

describe('@JambonzGateway()', () => {
  it('declares a Nest gateway on its normalised path, carrying the declaration, and binds the reply interceptor and the filter', () => {
    @JambonzGateway({ path: 'ws//calls/', kind: 'api', credentials: 'calls', maxIncomingFrameBytes: 4096 })
    class CallGateway {}
    const { options, port, isGateway } = gatewayOf(CallGateway);
    expect([isGateway, port, options.path]).toEqual([true, 0, '/ws/calls']);
    expect(options[JAMBONZ_GATEWAY]).toEqual({
      path: '/ws/calls',
      kind: 'api',
      credentials: 'calls',
      open: undefined,
      port: 0,
      maxIncomingFrameBytes: 4096,
      gateway: 'CallGateway',
    });
    expect(Object.isFrozen(options[JAMBONZ_GATEWAY])).toBe(true);
    expect(Reflect.getMetadata(INTERCEPTORS_METADATA, CallGateway)).toEqual([JambonzReplyInterceptor]);
    expect(Reflect.getMetadata(EXCEPTION_FILTERS_METADATA, CallGateway)).toEqual([JambonzWsExceptionFilter]);
  });

  it('puts a gateway with a port of its own on that port', () => {
    expect(gatewayOf(declare({ path: '/audio', kind: 'audio', port: 8081 })).port).toBe(8081);
  });

  it('leaves stand-in hooks that refuse every upgrade with 503 under another adapter', () => {
    const { options } = gatewayOf(declare({ path: '/ws', kind: 'api' }));
    const answers: unknown[][] = [];
    (options.verifyClient as (info: unknown, done: unknown) => void)({ req: {} }, (...answer: unknown[]) => answers.push(answer));
    (options.allowRequest as (request: unknown, done: unknown) => void)({}, (...answer: unknown[]) => answers.push(answer));
    expect(answers).toEqual([
      [false, 503],
      ['JambonzWsAdapter required', false],
    ]);
  });

  it.each([
    ['no options', undefined, '@JambonzGateway() on Gateway must be an object (got undefined)'],
    ['no path', { kind: 'api' }, "path is missing: the endpoint's path, as in the jambonz URL ('/ws' for ws://host/ws)"],
    ['no kind', { path: '/ws' }, "kind is missing: 'api' for jambonz's WebSocket API"],
    ['another kind', { path: '/ws', kind: 'socket.io' }, "kind must be one of 'api', 'audio' (got \"socket.io\")"],
    [
      'a path with a query string',
      { path: '/ws?x=1', kind: 'api' },
      "path must be a path such as '/ws', without spaces, query string or fragment",
    ],
    ['a path that is not a string', { path: 42, kind: 'api' }, 'path must be a path such as'],
    ['a port out of range', { path: '/ws', kind: 'api', port: 70000 }, 'port must be a port number, 1 to 65535, or 0'],
    ['a port that is not whole', { path: '/ws', kind: 'api', port: 80.5 }, 'port must be a port number'],
    [
      'a frame limit of zero',
      { path: '/ws', kind: 'api', maxIncomingFrameBytes: 0 },
      'maxIncomingFrameBytes must be a positive whole number of bytes (got 0)',
    ],
    [
      'a credential set name that looks like a secret',
      { path: '/ws', kind: 'api', credentials: 'jambonz:p:ss wörd' },
      'credentials must be the name of a set',
    ],
    [
      'open with credentials',
      { path: '/ws', kind: 'api', open: true, credentials: 'audio' },
      "open: true checks no credentials, so credentials: 'audio' would never be checked",
    ],
    ['open that is not a boolean', { path: '/ws', kind: 'api', open: 'yes' }, 'open must be true or false'],
    ['basicAuth', { path: '/ws', kind: 'api', basicAuth: CALL_HOOK }, 'basicAuth is not a gateway option'],
    ['a value read from an unset variable', { path: '/ws', kind: 'api', credentials: undefined }, 'credentials is undefined'],
    ['an unknown key', { path: '/ws', kind: 'api', namespace: '/x' }, "has an unknown key 'namespace'"],
  ])('refuses %s when the class is declared', (_what, options, message) => {
    expect(() => declare(options)).toThrow(JambonzAuthConfigError);
    expect(() => declare(options)).toThrow(message);
  });

  it('names the class in its messages', () => {
    expect(() => declare({ path: '/ws' })).toThrow('JambonzAuthModule: @JambonzGateway() on Gateway: kind is missing');
  });
});

describe('createGatewayPolicy', () => {
  const declaration = (options: Partial<JambonzGatewayDeclaration>): JambonzGatewayDeclaration => ({
    path: '/ws',
    kind: 'api',
    credentials: undefined,
    open: undefined,
    port: 0,
    maxIncomingFrameBytes: undefined,
    gateway: 'CallGateway',
    ...options,
  });

  it("takes the module's basicAuth, its frame limits and realm, and jambonz's subprotocol for the API", () => {
    const config = createJambonzAuthConfig({ basicAuth: CALL_HOOK, realm: 'calls', websocket: { maxOutgoingFrameBytes: 65536 } });
    expect(createGatewayPolicy(config, declaration({}))).toEqual({
      gateway: 'CallGateway',
      path: '/ws',
      port: 0,
      kind: 'api',
      credentials: config.credentialSets.get('default'),
      credentialSet: 'default',
      protocols: ['ws.jambonz.org'],
      maxIncomingFrameBytes: 1024 * 1024,
      maxOutgoingFrameBytes: 65536,
      challenge: 'Basic realm="calls", charset="UTF-8"',
    });
  });

  it("takes a named set, its own incoming limit, and the audio fork's subprotocols and limit for audio", () => {
    const config = createJambonzAuthConfig({
      basicAuth: CALL_HOOK,
      namedCredentials: { audio: { username: 'fork', password: 'x' } },
    });
    expect(
      createGatewayPolicy(config, declaration({ kind: 'audio', credentials: 'audio', maxIncomingFrameBytes: 2048 })),
    ).toMatchObject({
      credentials: config.credentialSets.get('audio'),
      credentialSet: 'audio',
      protocols: ['audio.jambonz.org', 'audio.drachtio.org'],
      maxIncomingFrameBytes: 2048,
      maxOutgoingFrameBytes: AUDIO_FORK_MAX_FRAME_BYTES,
    });
  });

  it('checks no credentials on an endpoint declared open, even when the module has some', () => {
    const config = createJambonzAuthConfig({ basicAuth: CALL_HOOK });
    expect(createGatewayPolicy(config, declaration({ open: true }))).toMatchObject({
      credentials: undefined,
      credentialSet: undefined,
    });
  });

  it.each([
    [
      { websocket: { maxIncomingFrameBytes: -1 } },
      'options.websocket.maxIncomingFrameBytes must be a positive whole number of bytes (got -1)',
    ],
    [
      { websocket: { maxOutgoingFrameBytes: '24k' } },
      'options.websocket.maxOutgoingFrameBytes must be a positive whole number of bytes',
    ],
    [
      { websocket: { maxPayload: 1 } },
      "options.websocket has an unknown key 'maxPayload'. Known keys: maxIncomingFrameBytes, maxOutgoingFrameBytes.",
    ],
    [{ websocket: 'big' }, 'options.websocket must be an object'],
  ])('refuses a bad websocket block at bootstrap: %j', (websocket, message) => {
    expect(() => createJambonzAuthConfig({ basicAuth: CALL_HOOK, ...websocket })).toThrow(message);
  });
});
