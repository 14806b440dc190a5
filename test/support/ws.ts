import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import {
  connectLikeJambonz,
  JambonzUpgradeRefusedError,
  type ConnectLikeJambonzOptions,
  type JambonzWsTestClient,
} from '../../src/testing/index.js';
import { JambonzWsAdapter } from '../../src/websocket/index.js';
import { startApp, type AdapterName, type RunningApp } from './app.js';
import { allReplies } from './http.js';

/** Which WebSocket adapter a test app uses: this package's, or Nest's own (an app that forgot ours). */
export type WsAdapterName = 'jambonz' | 'plain';

/** Starts an app with `imports` on `adapter`, serving its gateways with `ws` (JambonzWsAdapter by default). */
export function startWsApp(
  adapter: AdapterName,
  imports: Array<DynamicModule | Type>,
  wsAdapter: WsAdapterName = 'jambonz',
): Promise<RunningApp> {
  return startApp(adapter, 'raw-body', imports, [], (app: INestApplication) =>
    app.useWebSocketAdapter(wsAdapter === 'jambonz' ? new JambonzWsAdapter(app) : new WsAdapter(app)),
  );
}

/** `ws://host:port<path>` of an app started on `http://host:port`. */
export function wsUrl(app: RunningApp, path: string): string {
  return `${app.url.replace(/^http/, 'ws')}${path}`;
}

/**
 * Connects as jambonz does (see `connectLikeJambonz`), recording every frame received, and a
 * refusal's status, headers and body, for the secrecy scan (test/support/secrecy.ts).
 */
export async function connect(url: string, options: ConnectLikeJambonzOptions = {}): Promise<JambonzWsTestClient> {
  try {
    return await connectLikeJambonz(url, {
      ...options,
      onFrame: (frame) => {
        allReplies.push(`ws frame ${typeof frame === 'string' ? frame : `binary ${frame.length} bytes`}`);
        options.onFrame?.(frame);
      },
    });
  } catch (error) {
    if (error instanceof JambonzUpgradeRefusedError) {
      allReplies.push(`${error.status} ${JSON.stringify(error.headers)}\n${error.body}`);
    }
    throw error;
  }
}

/**
 * Connects as {@link connect} does, expecting the server to refuse the upgrade.
 * @throws Error when the upgrade succeeds (the connection is closed first) or fails another way.
 */
export async function refusal(url: string, options: ConnectLikeJambonzOptions = {}): Promise<JambonzUpgradeRefusedError> {
  let client: JambonzWsTestClient;
  try {
    client = await connect(url, options);
  } catch (error) {
    if (error instanceof JambonzUpgradeRefusedError) return error;
    throw error;
  }
  await client.close();
  throw new Error(`the upgrade to ${url} was accepted (subprotocol ${client.protocol})`);
}

/** Resolves after `ms` milliseconds: lets a frame that should be ignored have its chance to arrive. */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
