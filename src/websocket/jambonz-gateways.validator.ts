import { DiscoveryService, type ModulesContainer } from '@nestjs/core';
import { JambonzAuthConfigError } from '../jambonz-auth-config.error.js';
import { urlPath } from '../webhook-request.util.js';
import type { JambonzGatewayDeclaration } from './jambonz-gateway.policy.js';
import { JAMBONZ_GATEWAY } from './jambonz-ws.constants.js';

/**
 * Metadata keys `@WebSocketGateway()` sets on a class (`GATEWAY_METADATA`, `GATEWAY_OPTIONS`,
 * `PORT_METADATA` of `@nestjs/websockets`, which exports them only from an internal path; their
 * values are the same in Nest 11 and 12).
 */
const NEST_GATEWAY_METADATA = Object.freeze({
  gateway: 'websockets:is_gateway',
  options: 'websockets:gateway_options',
  port: 'port',
});

/** One gateway class Nest connects to a WebSocket server. */
export interface DeclaredGateway {
  /** Its class. */
  readonly metatype: GatewayClass;
  /** Its class name. */
  readonly name: string;
  /** The port it serves; 0 for the application's own server. */
  readonly port: number;
  /** The path it serves, normalised; `/` when it names none. */
  readonly path: string;
  /** What `@JambonzGateway()` declared, or `undefined` for any other gateway. */
  readonly declaration: JambonzGatewayDeclaration | undefined;
}

/** A gateway's class, as Nest's providers hold it. */
type GatewayClass = abstract new (...args: never[]) => unknown;

/**
 * Every provider of the application that is a WebSocket gateway (jambonz or not), once per module that provides it.
 * @throws JambonzAuthConfigError for a class declared with `@JambonzGateway()` whose gateway options a
 *   `@WebSocketGateway()` replaced (written above it, or on a subclass).
 */
export function declaredGateways(modules: ModulesContainer): DeclaredGateway[] {
  const gateways: DeclaredGateway[] = [];
  for (const wrapper of new DiscoveryService(modules).getProviders()) {
    const metatype = wrapper.metatype as GatewayClass | null | undefined;
    if (typeof metatype !== 'function' || Reflect.getMetadata(NEST_GATEWAY_METADATA.gateway, metatype) !== true) continue;
    const options = (Reflect.getMetadata(NEST_GATEWAY_METADATA.options, metatype) ?? {}) as {
      readonly path?: unknown;
      readonly [JAMBONZ_GATEWAY]?: JambonzGatewayDeclaration;
    };
    const port: unknown = Reflect.getMetadata(NEST_GATEWAY_METADATA.port, metatype);
    const declared = Reflect.getMetadata(JAMBONZ_GATEWAY, metatype) as JambonzGatewayDeclaration | undefined;
    if (declared !== undefined && options[JAMBONZ_GATEWAY] !== declared) {
      // @WebSocketGateway() above @JambonzGateway(), or on a subclass: Nest would serve the class
      // with the replaced options, as a plain gateway, without any check.
      throw new JambonzAuthConfigError(
        `${metatype.name} is declared with @JambonzGateway() (on ${declared.gateway}), but a @WebSocketGateway() ` +
          'above it or on a subclass replaced its options: Nest would serve it without authentication. Remove ' +
          '@WebSocketGateway(): @JambonzGateway() declares the gateway (give a subclass its own @JambonzGateway()).',
      );
    }
    gateways.push({
      metatype,
      name: metatype.name,
      port: typeof port === 'number' ? port : 0,
      path: urlPath(typeof options.path === 'string' ? options.path : undefined),
      declaration: options[JAMBONZ_GATEWAY],
    });
  }
  return gateways;
}

/**
 * Refuses a jambonz gateway that shares its port and path with another gateway. Nest would serve
 * both with the one WebSocket server it creates for the first: a jambonz endpoint could then run
 * without its checks, or another gateway's handlers receive jambonz's connections.
 *
 * @throws JambonzAuthConfigError naming both gateways and the endpoint, or naming a jambonz gateway
 *   that two modules provide (Nest would create it twice on its endpoint).
 */
export function assertOwnEndpoints(gateways: readonly DeclaredGateway[]): void {
  const byEndpoint = new Map<string, DeclaredGateway>();
  for (const gateway of gateways) {
    const endpoint = `${gateway.port}:${gateway.path}`;
    const other = byEndpoint.get(endpoint);
    if (other && (other.declaration || gateway.declaration)) {
      if (other.metatype === gateway.metatype) {
        throw new JambonzAuthConfigError(
          `${gateway.name} is a provider of two modules: Nest would create it twice on one endpoint, and every ` +
            'message would run its handlers twice. Provide it in one module only.',
        );
      }
      const where =
        gateway.port === 0 ? `path ${gateway.path} of the application's server` : `port ${gateway.port}, path ${gateway.path}`;
      throw new JambonzAuthConfigError(
        `${other.name} and ${gateway.name} both serve ${where}, and ${(other.declaration ? other : gateway).name} is a jambonz ` +
          "gateway: Nest would serve them with one WebSocket server, so one would receive the other's connections. Give each its own path.",
      );
    }
    byEndpoint.set(endpoint, other ?? gateway);
  }
}
