import { createServer, type AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import {
  JAMBONZ_METRIC_ATTRIBUTES as A,
  JAMBONZ_METRICS,
  JambonzAuthConfigError,
  JambonzAuthModule,
  JambonzCredentialUsage,
  type JambonzAuthDecision,
  type JambonzAuthModuleOptions,
} from '../src/index.js';
import { JambonzGateway } from '../src/websocket/index.js';
import { ADAPTERS } from './support/app.js';
import { dispatched, TestMetrics } from './support/metrics.js';
import { connect, refusal, startWsApp, wsUrl } from './support/ws.js';

/*
 * What stops an application with jambonz gateways at bootstrap, and what runs: every case boots a
 * real app (Express and Fastify) and, where it starts, connects to it over a real socket.
 */

const CALL_HOOK = { username: 'jambonz', password: 'p:ss wörd' };
const OLD_CALL_HOOK = { username: 'jambonz', password: 'the old pass' };
const SECRET = 'wh_secret_websocketBootstrap01';

/** handleConnection calls and handler runs of the gateways below. */
const seen = { connections: 0, messages: 0 };

@JambonzGateway({ path: '/ws', kind: 'api' })
class DefaultSetGateway implements OnGatewayConnection {
  handleConnection(): void {
    seen.connections++;
  }
  @SubscribeMessage('session:new')
  onCall(): unknown[] {
    return [{ verb: 'say', text: 'hello' }];
  }
}

@JambonzGateway({ path: '/audio', kind: 'audio', credentials: 'audio' })
class NamedSetGateway {}

@JambonzGateway({ path: '/open', kind: 'api', open: true })
class OpenGateway implements OnGatewayConnection {
  handleConnection(): void {
    seen.connections++;
  }
  @SubscribeMessage('session:new')
  onCall(@MessageBody('call_sid') callSid: string): unknown[] {
    return [{ verb: 'say', text: `open ${callSid}` }];
  }
}

@JambonzGateway({ path: 'ws/', kind: 'audio' })
class SamePathGateway {}

@WebSocketGateway({ path: '/ws' })
class PlainOnJambonzPathGateway {}

// @WebSocketGateway() above @JambonzGateway() replaces the options that carry the jambonz checks.
@WebSocketGateway({ path: '/stacked' })
@JambonzGateway({ path: '/stacked', kind: 'api' })
class StackedGateway {
  @SubscribeMessage('session:new')
  onCall(): unknown[] {
    seen.messages++;
    return [{ verb: 'say', text: 'should never run' }];
  }
}

/** A jambonz gateway's subclass re-declared as a plain gateway: it inherits the declaration, not the checks. */
@WebSocketGateway({ path: '/derived' })
class DerivedPlainGateway extends DefaultSetGateway {}

/** A free loopback port, for a gateway with a port of its own (decorator arguments are fixed at import). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const OWN_PORT = await freePort();

@JambonzGateway({ path: '/calls', kind: 'api', port: OWN_PORT })
class OwnPortGateway {
  @SubscribeMessage('session:new')
  onCall(): unknown[] {
    return [{ verb: 'say', text: 'own port' }];
  }
}

@WebSocketGateway({ path: '/other' })
class PlainGateway {}

@WebSocketGateway({ path: '/other' })
class SecondPlainGateway {}

/** A module providing `gateways`, beside the jambonz module configured with `options`. */
function withGateways(options: object | undefined, ...gateways: Type[]): Array<DynamicModule | Type> {
  @Module({ providers: gateways })
  class GatewaysModule {}
  return options === undefined ? [GatewaysModule] : [JambonzAuthModule.forRoot(options), GatewaysModule];
}

describe.each(ADAPTERS)('jambonz gateways at bootstrap, on %s', (adapter) => {
  it.each([
    [
      'a gateway naming a credential set the module lacks, listing those it has',
      withGateways({ basicAuth: CALL_HOOK, namedCredentials: { status: CALL_HOOK } }, NamedSetGateway),
      "NamedSetGateway (@JambonzGateway() at /audio).credentials names the set 'audio', which JambonzAuthModule's options " +
        "do not have (known: 'status', 'default'). Add it to namedCredentials (from ConfigService), or fix the name.",
    ],
    [
      'a gateway with no credentials to check, not declared open',
      withGateways({ secret: SECRET }, DefaultSetGateway),
      'DefaultSetGateway (@JambonzGateway() at /ws) has no credentials to check, and jambonz signs nothing on a socket',
    ],
    [
      'two jambonz gateways on one path, however spelt',
      withGateways({ basicAuth: CALL_HOOK }, DefaultSetGateway, SamePathGateway),
      "DefaultSetGateway and SamePathGateway both serve path /ws of the application's server, and DefaultSetGateway is a jambonz gateway",
    ],
    [
      'a plain gateway on the path of a jambonz gateway, whichever comes first',
      withGateways({ basicAuth: CALL_HOOK }, PlainOnJambonzPathGateway, DefaultSetGateway),
      "PlainOnJambonzPathGateway and DefaultSetGateway both serve path /ws of the application's server, and DefaultSetGateway is a jambonz gateway",
    ],
    [
      'a @WebSocketGateway() written above @JambonzGateway(), which would serve it without checks',
      withGateways({ basicAuth: CALL_HOOK }, StackedGateway),
      'StackedGateway is declared with @JambonzGateway() (on StackedGateway), but a @WebSocketGateway() above it or on a ' +
        'subclass replaced its options: Nest would serve it without authentication.',
    ],
    [
      "a jambonz gateway's subclass re-declared with @WebSocketGateway()",
      withGateways({ basicAuth: CALL_HOOK }, DerivedPlainGateway),
      'DerivedPlainGateway is declared with @JambonzGateway() (on DefaultSetGateway), but a @WebSocketGateway() above it',
    ],
    [
      'a jambonz gateway provided by two modules',
      [
        JambonzAuthModule.forRoot({ basicAuth: CALL_HOOK }),
        ...withGateways(undefined, DefaultSetGateway),
        ...withGateways(undefined, DefaultSetGateway),
      ],
      'DefaultSetGateway is a provider of two modules: Nest would create it twice on one endpoint',
    ],
    [
      'a jambonz gateway without JambonzAuthModule',
      withGateways(undefined, DefaultSetGateway),
      "DefaultSetGateway (@JambonzGateway() at /ws) cannot reach JambonzAuthModule's configuration",
    ],
  ])('refuses to start with %s', async (_what, imports, message) => {
    const attempt = startWsApp(adapter, imports);
    await expect(attempt).rejects.toThrow(JambonzAuthConfigError);
    await expect(attempt).rejects.toThrow(message);
  });

  it('starts with two ordinary gateways sharing a path, as Nest allows', async () => {
    const app = await startWsApp(
      adapter,
      withGateways({ basicAuth: CALL_HOOK }, PlainGateway, SecondPlainGateway, DefaultSetGateway),
    );
    await app.close();
  });

  it('serves an endpoint declared open without credentials, the subprotocol still checked, while the others keep theirs', async () => {
    const app = await startWsApp(adapter, withGateways({ secret: SECRET, basicAuth: CALL_HOOK }, OpenGateway, DefaultSetGateway));
    try {
      const client = await connect(wsUrl(app, '/open'), { credentials: null });
      expect((await client.sessionNew()).data).toEqual([{ verb: 'say', text: expect.stringMatching(/^open /) }]);
      await client.close();
      expect((await refusal(wsUrl(app, '/open'), { credentials: null, protocols: ['chat'] })).status).toBe(400);
      expect((await refusal(wsUrl(app, '/ws'), { credentials: null })).status).toBe(401);
      expect(app.logs.lines.join('\n')).toContain(
        'Accepted upgrade to /open (OpenGateway, api, open), subprotocol ws.jambonz.org',
      );
    } finally {
      await app.close();
    }
  });

  it('reports every upgrade decision through onDecision, metrics and rotation telemetry, and survives a listener that throws', async () => {
    const decisions: JambonzAuthDecision[] = [];
    let fail = false;
    const metrics = new TestMetrics();
    const options: JambonzAuthModuleOptions = {
      secret: SECRET,
      basicAuth: [OLD_CALL_HOOK, CALL_HOOK],
      onDecision: (decision) => {
        if (fail) throw new Error('listener down');
        decisions.push(decision);
      },
      metrics: { meterProvider: metrics.provider },
    };
    const app = await startWsApp(adapter, withGateways(options, OpenGateway, DefaultSetGateway));
    try {
      await (await connect(wsUrl(app, '/ws'), { credentials: CALL_HOOK })).close();
      await refusal(wsUrl(app, '/ws'), { credentials: { ...CALL_HOOK, password: 'wrong' } });
      await refusal(wsUrl(app, '/ws'), { credentials: CALL_HOOK, protocols: ['chat'] });
      await (await connect(wsUrl(app, '/open'), { credentials: null })).close();
      await dispatched();
      const common = { transport: 'websocket', method: 'GET', skew: undefined, duration: expect.any(Number) };
      expect(decisions).toEqual([
        {
          ...common,
          route: '/ws',
          outcome: 'accepted',
          reasons: [],
          auth: expect.objectContaining({
            verifiedBy: 'basic',
            username: 'jambonz',
            credentialSet: 'default',
            credentialIndex: 1,
          }),
        },
        { ...common, route: '/ws', outcome: 'refused', reasons: ['credentials_mismatch'], auth: undefined },
        { ...common, route: '/ws', outcome: 'refused', reasons: ['subprotocol_mismatch'], auth: undefined },
        { ...common, route: '/open', outcome: 'accepted', reasons: [], auth: undefined },
      ]);
      const upgrades = { [A.transport]: 'websocket', [A.route]: '/ws' };
      expect(await metrics.count(JAMBONZ_METRICS.decisions, { ...upgrades, [A.outcome]: 'accepted' })).toBe(1);
      expect(await metrics.count(JAMBONZ_METRICS.decisions, { ...upgrades, [A.outcome]: 'refused' })).toBe(2);
      // The second pair authenticated the upgrade; the first, the old one, has not been used.
      const usage = app.app.get(JambonzCredentialUsage).report();
      expect(usage.entries.filter((entry) => entry.kind === 'basic')).toEqual([
        expect.objectContaining({ option: 'basicAuth[0]', lastUsed: undefined }),
        expect.objectContaining({ option: 'basicAuth[1]', lastUsed: expect.any(Number) }),
      ]);
      fail = true;
      await (await connect(wsUrl(app, '/ws'), { credentials: CALL_HOOK })).close();
      await dispatched();
      expect(app.logs.lines.join('\n')).toContain('The onDecision listener failed; requests are not affected: listener down');
    } finally {
      await app.close();
      await metrics.shutdown();
    }
  });

  it('authenticates a gateway on a port of its own, whose server WsAdapter creates', async () => {
    const app = await startWsApp(adapter, withGateways({ basicAuth: CALL_HOOK }, OwnPortGateway));
    try {
      const url = `ws://127.0.0.1:${OWN_PORT}/calls`;
      expect((await refusal(url, { credentials: null })).status).toBe(401);
      const client = await connect(url, { credentials: CALL_HOOK });
      expect((await client.sessionNew()).data).toEqual([{ verb: 'say', text: 'own port' }]);
      await client.close();
    } finally {
      await app.close();
    }
  });

  it('runs no handler of a jambonz gateway whose options were replaced, under another adapter, and closes the connection', async () => {
    // Both mistakes at once: no JambonzWsAdapter to refuse the replaced options at bootstrap, so
    // the upgrade goes through unchecked; the gateway's interceptor is the last line of defence.
    const app = await startWsApp(adapter, withGateways({ basicAuth: CALL_HOOK }, StackedGateway), 'plain');
    try {
      const messages = seen.messages;
      const socket = new WebSocket(wsUrl(app, '/stacked'));
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      socket.send(JSON.stringify({ event: 'session:new', data: {} }));
      expect(await closed).toBe(1008);
      expect(seen.messages).toBe(messages);
      expect(app.logs.lines.join('\n')).toContain(
        'StackedGateway received a message on a connection JambonzWsAdapter did not authenticate: closed, no handler run.',
      );
    } finally {
      await app.close();
    }
  });

  it("refuses every upgrade with 503 under Nest's own WsAdapter (JambonzWsAdapter forgotten), and says so", async () => {
    const app = await startWsApp(adapter, withGateways({ basicAuth: CALL_HOOK }, DefaultSetGateway), 'plain');
    try {
      const connections = seen.connections;
      const refused = await refusal(wsUrl(app, '/ws'), { credentials: CALL_HOOK });
      expect(refused.status).toBe(503);
      expect(seen.connections).toBe(connections);
      expect(app.logs.lines.join('\n')).toContain(
        'DefaultSetGateway is served by an adapter that is not JambonzWsAdapter, which would let anyone in: upgrade refused. ' +
          'Call app.useWebSocketAdapter(new JambonzWsAdapter(app)) before app.listen().',
      );
    } finally {
      await app.close();
    }
  });
});
