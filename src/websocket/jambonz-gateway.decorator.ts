import type { IncomingMessage } from 'node:http';
import { Logger, UseFilters, UseInterceptors } from '@nestjs/common';
import { WebSocketGateway } from '@nestjs/websockets';
import type { JambonzGatewayOptions } from '../jambonz-auth-options.interface.js';
import { validateGatewayOptions } from '../jambonz-auth-options.rules.js';
import type { JambonzGatewayDeclaration } from './jambonz-gateway.policy.js';
import { JambonzWsExceptionFilter } from './jambonz-ws-exception.filter.js';
import { JambonzReplyInterceptor } from './jambonz-ws-reply.interceptor.js';
import { JAMBONZ_GATEWAY } from './jambonz-ws.constants.js';

const logger = new Logger('JambonzGateway');

const WITHOUT_ADAPTER =
  'is served by an adapter that is not JambonzWsAdapter, which would let anyone in: upgrade refused. ' +
  'Call app.useWebSocketAdapter(new JambonzWsAdapter(app)) before app.listen().';

/*
 * Stand-ins for the hooks JambonzWsAdapter installs, so that a jambonz gateway fails closed when
 * the app forgot the adapter: Nest's WsAdapter hands `verifyClient` to `ws` as it is (every
 * upgrade then gets 503), and Nest's socket.io adapter hands `allowRequest` to socket.io.
 */
function refuseUpgrade(gateway: string) {
  return (_info: { req: IncomingMessage }, done: (verified: boolean, code?: number) => void): void => {
    logger.error(`${gateway} ${WITHOUT_ADAPTER}`);
    done(false, 503);
  };
}
function refuseSocketIo(gateway: string) {
  return (_request: unknown, done: (error: string | null, success: boolean) => void): void => {
    logger.error(`${gateway} ${WITHOUT_ADAPTER}`);
    done('JambonzWsAdapter required', false);
  };
}

/**
 * Declares a gateway for jambonz's WebSocket connections: the WebSocket API (`kind: 'api'`, the
 * call hook of an application whose URL is `ws(s)://`) or an audio stream (`kind: 'audio'`, the
 * `listen` and `stream` verbs). In one step, so that no part can be forgotten, it:
 * - declares the class a Nest gateway on `path` (`@WebSocketGateway()`), carrying its options to
 *   `JambonzWsAdapter`, which authenticates every upgrade before the gateway sees it;
 * - binds `JambonzReplyInterceptor` (a handler that fails gets no ack) and
 *   `JambonzWsExceptionFilter` (a failure is logged, nothing is sent to jambonz).
 *
 * ```ts
 * @JambonzGateway({ path: '/ws', kind: 'api' })              // the module's basicAuth
 * export class CallGateway {
 *   @SubscribeMessage('session:new')
 *   onCall(@MessageBody() message: SessionNewMessage): JambonzVerb[] {
 *     return [{ verb: 'say', text: `Hello ${message.data.from}` }];
 *   }
 * }
 *
 * @JambonzGateway({ path: '/audio', kind: 'audio', credentials: 'audio' })  // namedCredentials.audio
 * export class AudioGateway {}
 * ```
 *
 * The app must use `JambonzWsAdapter` (`app.useWebSocketAdapter(new JambonzWsAdapter(app))`):
 * under any other adapter every upgrade to the gateway is refused (503) and an error is logged.
 * Options carry names and policy, never credentials (decorator arguments are evaluated when the
 * file is imported, before configuration loads).
 *
 * @throws JambonzAuthConfigError when the class is declared, for options of the wrong type or
 *   range, an unknown key (`basicAuth` included), a value that is `undefined`, a missing `path`
 *   or `kind`, or `open: true` with `credentials`. Whether the credential set exists, and that
 *   no other gateway takes the same port and path, is checked when the application boots.
 */
export function JambonzGateway(options: JambonzGatewayOptions): ClassDecorator {
  return (target) => {
    const declaration: JambonzGatewayDeclaration = Object.freeze({
      ...validateGatewayOptions(options, `@JambonzGateway() on ${target.name}`),
      gateway: target.name,
    });
    Reflect.defineMetadata(JAMBONZ_GATEWAY, declaration, target);
    WebSocketGateway(declaration.port, {
      path: declaration.path,
      [JAMBONZ_GATEWAY]: declaration,
      verifyClient: refuseUpgrade(target.name),
      allowRequest: refuseSocketIo(target.name),
    })(target);
    UseInterceptors(JambonzReplyInterceptor)(target);
    UseFilters(JambonzWsExceptionFilter)(target);
  };
}
