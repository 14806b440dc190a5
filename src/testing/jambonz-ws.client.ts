import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type WebSocket from 'ws';
import type { BasicCredentials } from '../core/index.js';
import type { CallHookPayload, JambonzAckMessage, JambonzWsMessageType } from '../payloads/index.js';
import {
  JAMBONZ_ACK_TIMEOUT_MS,
  JAMBONZ_ACK_TYPES,
  JAMBONZ_API_SUBPROTOCOL,
  JAMBONZ_AUDIO_SUBPROTOCOLS,
  JAMBONZ_HANDSHAKE_TIMEOUT_MS,
  JAMBONZ_MAX_FRAME_BYTES,
  type JambonzEndpointKind,
} from '../websocket/jambonz-ws.constants.js';
import { JAMBONZ_SESSION_NEW_SAMPLE } from './jambonz-samples.js';
import { TEST_CREDENTIALS } from './testing.constants.js';

/** Options of {@link connectLikeJambonz}. */
export interface ConnectLikeJambonzOptions {
  /**
   * `'api'` (default): connect as jambonz's WebSocket API does, offering `ws.jambonz.org`.
   * `'audio'`: offer `audio.jambonz.org`, as the audio fork of jambonz's images does.
   */
  readonly kind?: JambonzEndpointKind;
  /**
   * Basic credentials, sent as jambonz sends them (`Authorization: Basic`, UTF-8). Default
   * `TEST_CREDENTIALS`; `null` sends none (a hook without credentials).
   */
  readonly credentials?: BasicCredentials | null;
  /** Subprotocols to offer instead of the kind's; `[]` offers none. */
  readonly protocols?: readonly string[];
  /** Headers to add, or to replace (`authorization: 'Bearer ...'` with `credentials: null`), by name. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Milliseconds the handshake may take. Default 1500, jambonz's `JAMBONES_WS_HANDSHAKE_TIMEOUT_MS`. */
  readonly handshakeTimeout?: number;
  /** Largest frame accepted from the app, in bytes. Default 24 KiB, jambonz's `JAMBONES_WS_MAX_PAYLOAD`. */
  readonly maxPayload?: number;
  /** Milliseconds to wait for an ack. Default 5000, jambonz's `JAMBONES_WS_API_MSG_RESPONSE_TIMEOUT`. */
  readonly ackTimeout?: number;
  /** Called with every frame received (text as a string, binary as a `Buffer`), acks included: for logging. */
  readonly onFrame?: (frame: string | Buffer) => void;
}

/** How a connection ended. */
export interface JambonzWsClose {
  /** The close code (1000 normal, 1006 without a closing handshake, 1009 a frame too large...). */
  readonly code: number;
  /** The close reason, as UTF-8 text. */
  readonly reason: string;
}

/** Options of {@link JambonzWsTestClient.request}. */
export interface JambonzFrameOptions {
  /** The frame's `hook` (for `verb:hook`, `dial:confirm`, `llm:tool-call`...). */
  readonly hook?: string;
  /** The frame's `call_sid`. Default: the call of the last `session:new`, or the data's `call_sid`. */
  readonly callSid?: string;
}

/** A frame received that is not the ack of a pending request: JSON text parsed, other text as a string, binary as a `Buffer`. */
export type JambonzReceivedFrame = Record<string, unknown> | unknown[] | string | number | boolean | null | Buffer;

/** An open connection made by {@link connectLikeJambonz}. */
export interface JambonzWsTestClient {
  /** The subprotocol the server selected. */
  readonly protocol: string;
  /** Milliseconds from opening the connection to the end of the handshake. */
  readonly handshakeMs: number;
  /** Resolves when the connection closes, however it closes. */
  readonly closed: Promise<JambonzWsClose>;
  /**
   * Sends `session:new` as jambonz does when a call arrives (`{ type, msgid, call_sid, data }`)
   * and waits for its ack.
   * @param data the call; default the `session:new` sample's (`JAMBONZ_SESSION_NEW_SAMPLE`).
   * @throws Error when no ack comes within the ack timeout or the connection closes first.
   */
  sessionNew(data?: CallHookPayload): Promise<JambonzAckMessage>;
  /**
   * Sends `session:reconnect` with the data of the last `session:new` (what jambonz sends after
   * reconnecting), and waits for its ack.
   * @throws Error as {@link sessionNew}.
   */
  sessionReconnect(): Promise<JambonzAckMessage>;
  /**
   * Sends a frame of a type that waits for an ack (`verb:hook`, `dial:confirm`...) and waits for it.
   * @throws TypeError for a type jambonz does not wait an ack for; Error as {@link sessionNew}.
   */
  request(type: JambonzWsMessageType, data: unknown, options?: JambonzFrameOptions): Promise<JambonzAckMessage>;
  /**
   * Sends a frame of a type that takes no ack (`call:status`, `llm:tool-call`...).
   * @throws TypeError for a type that waits for an ack (use {@link request}).
   */
  notify(type: JambonzWsMessageType, data: unknown, options?: JambonzFrameOptions): void;
  /** Sends a text frame as it is (an audio stream's metadata, a malformed frame...). */
  sendText(text: string): void;
  /** Sends a binary frame (an audio stream's audio). */
  sendBinary(data: Uint8Array): void;
  /**
   * The next frame received that was not the ack of a pending request (a command, an audio
   * stream's reply...), in order.
   * @throws Error when none comes within `timeoutMs` (default the ack timeout) or the connection closes.
   */
  nextFrame(timeoutMs?: number): Promise<JambonzReceivedFrame>;
  /** Closes the connection (code 1000 by default: jambonz's normal end of a call) and waits until it is closed. */
  close(code?: number, reason?: string): Promise<JambonzWsClose>;
}

/**
 * The server answered the upgrade with an HTTP status instead of 101: what jambonz logs as
 * "unexpected response" (and, for a 4xx, does not retry by default).
 */
export class JambonzUpgradeRefusedError extends Error {
  /** Always `'JambonzUpgradeRefusedError'`. */
  override readonly name = 'JambonzUpgradeRefusedError';

  /**
   * @param status the HTTP status (401, 400...).
   * @param statusText its reason phrase.
   * @param headers the response headers, names lower-cased.
   * @param body the response body.
   */
  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly headers: Readonly<IncomingHttpHeaders>,
    readonly body: string,
  ) {
    super(`the server refused the WebSocket upgrade: HTTP ${status} ${statusText}`);
  }
}

/**
 * Why {@link connectLikeJambonz} could not open a session, other than an HTTP refusal:
 * - `ws_missing`: the `ws` package is not installed;
 * - `no_subprotocol`: the server completed the handshake without selecting the offered
 *   subprotocol (or selected another), which jambonz refuses too.
 */
export type JambonzWsClientFailure = 'ws_missing' | 'no_subprotocol';

/** {@link connectLikeJambonz} could not open a session (see {@link JambonzWsClientFailure}). */
export class JambonzWsClientError extends Error {
  /** Always `'JambonzWsClientError'`. */
  override readonly name = 'JambonzWsClientError';

  /**
   * @param failure what went wrong.
   * @param message what to tell the user.
   * @param cause the underlying error.
   */
  constructor(
    readonly failure: JambonzWsClientFailure,
    message: string,
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}

/**
 * Opens a WebSocket to `url` the way jambonz does: its own `ws` client configured as the feature
 * server's `lib/utils/ws-requestor.js` configures it (subprotocol `ws.jambonz.org`,
 * `Authorization: Basic` from the credentials, `user-agent: jambonz`, a 1.5 s handshake timeout,
 * 24 KiB largest frame, up to 2 redirects), then lets a test send jambonz's frames and await the
 * acks. With `kind: 'audio'` it offers `audio.jambonz.org` instead, as the audio fork does (the
 * fork is another client: only the subprotocol and the credentials are the same).
 *
 * ```ts
 * const call = await connectLikeJambonz('ws://127.0.0.1:3000/ws');     // TEST_CREDENTIALS
 * const ack = await call.sessionNew();                                    // the sample call
 * expect(ack.data).toEqual([{ verb: 'say', text: 'Hello' }]);
 * await call.close();
 * ```
 *
 * Needs the `ws` package (an optional peer dependency; `@nestjs/platform-ws` brings it).
 *
 * @throws JambonzUpgradeRefusedError when the server answers the upgrade with an HTTP status
 *   (401, 400...); JambonzWsClientError for a server that selects no subprotocol or one not
 *   offered (which jambonz also refuses), or a missing `ws` package; Error for no server or a
 *   handshake that times out.
 */
export async function connectLikeJambonz(
  url: string | URL,
  options: ConnectLikeJambonzOptions = {},
): Promise<JambonzWsTestClient> {
  const WebSocketClass = await loadWs();
  const credentials = options.credentials === undefined ? TEST_CREDENTIALS : options.credentials;
  const protocols =
    options.protocols ?? (options.kind === 'audio' ? [JAMBONZ_AUDIO_SUBPROTOCOLS[0]!] : [JAMBONZ_API_SUBPROTOCOL]);
  const started = performance.now();
  const socket = new WebSocketClass(String(url), [...protocols], {
    followRedirects: true,
    maxRedirects: 2,
    handshakeTimeout: options.handshakeTimeout ?? JAMBONZ_HANDSHAKE_TIMEOUT_MS,
    maxPayload: options.maxPayload ?? JAMBONZ_MAX_FRAME_BYTES,
    headers: { 'user-agent': 'jambonz', ...options.headers },
    // jambonz sends credentials only when the hook has both a username and a password.
    ...(credentials && { auth: `${credentials.username}:${credentials.password}` }),
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', (error: Error) =>
      // ws's own words for a handshake without the offered subprotocol.
      reject(/subprotocol/i.test(error.message) ? new JambonzWsClientError('no_subprotocol', error.message, error) : error),
    );
    socket.once('unexpected-response', (request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.once('end', () => {
        reject(new JambonzUpgradeRefusedError(response.statusCode ?? 0, response.statusMessage ?? '', response.headers, body));
        request.destroy();
      });
    });
  });
  return new Client(socket, performance.now() - started, options);
}

/** `ws`'s WebSocket class, loaded on first use so that the rest of `/testing` does not need it. */
async function loadWs(): Promise<typeof WebSocket> {
  try {
    return (await import('ws')).default;
  } catch (error) {
    throw new JambonzWsClientError('ws_missing', 'connectLikeJambonz needs the ws package (npm install --save-dev ws)', error);
  }
}

/** Someone waiting: for an ack (by msgid), or for the next frame. */
interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

class Client implements JambonzWsTestClient {
  readonly protocol: string;
  readonly closed: Promise<JambonzWsClose>;
  private readonly acks = new Map<string, Waiter<JambonzAckMessage>>();
  private readonly frames: JambonzReceivedFrame[] = [];
  private readonly frameWaiters: Array<Waiter<JambonzReceivedFrame>> = [];
  private readonly ackTimeout: number;
  private ended: JambonzWsClose | undefined;
  private session: { readonly callSid: string | undefined; readonly data: unknown } | undefined;

  constructor(
    private readonly socket: WebSocket,
    readonly handshakeMs: number,
    options: ConnectLikeJambonzOptions,
  ) {
    this.protocol = socket.protocol;
    this.ackTimeout = options.ackTimeout ?? JAMBONZ_ACK_TIMEOUT_MS;
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      const frame = isBinary ? data : data.toString('utf8');
      options.onFrame?.(frame);
      this.receive(frame);
    });
    // Errors after the handshake (a frame over maxPayload...) end in 'close', which settles everything.
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      socket.once('close', (code: number, reason: Buffer) => {
        this.ended = { code, reason: reason.toString('utf8') };
        const error = new Error(`the connection closed (${code}${this.ended.reason ? ` ${this.ended.reason}` : ''})`);
        for (const waiter of [...this.acks.values(), ...this.frameWaiters.splice(0)]) {
          clearTimeout(waiter.timer);
          waiter.reject(error);
        }
        this.acks.clear();
        resolve(this.ended);
      });
    });
  }

  sessionNew(data: CallHookPayload = JAMBONZ_SESSION_NEW_SAMPLE.data): Promise<JambonzAckMessage> {
    const callSid = typeof data?.call_sid === 'string' ? data.call_sid : undefined;
    this.session = { callSid, data };
    return this.request('session:new', data, { callSid });
  }

  sessionReconnect(): Promise<JambonzAckMessage> {
    const session = this.session ?? { callSid: JAMBONZ_SESSION_NEW_SAMPLE.call_sid, data: JAMBONZ_SESSION_NEW_SAMPLE.data };
    return this.request('session:reconnect', session.data, { callSid: session.callSid });
  }

  request(type: JambonzWsMessageType, data: unknown, options: JambonzFrameOptions = {}): Promise<JambonzAckMessage> {
    if (!JAMBONZ_ACK_TYPES.has(type)) {
      throw new TypeError(`${type} takes no ack: send it with notify()`);
    }
    const msgid = this.send(type, data, options);
    return this.wait(
      (waiter) => this.acks.set(msgid, waiter),
      `ack to ${type}`,
      () => this.acks.delete(msgid),
    );
  }

  notify(type: JambonzWsMessageType, data: unknown, options: JambonzFrameOptions = {}): void {
    if (JAMBONZ_ACK_TYPES.has(type)) {
      throw new TypeError(`${type} waits for an ack: send it with request()`);
    }
    this.send(type, data, options);
  }

  sendText(text: string): void {
    this.socket.send(text);
  }

  sendBinary(data: Uint8Array): void {
    this.socket.send(data, { binary: true });
  }

  nextFrame(timeoutMs = this.ackTimeout): Promise<JambonzReceivedFrame> {
    if (this.frames.length > 0) return Promise.resolve(this.frames.shift()!);
    return this.wait(
      (waiter) => this.frameWaiters.push(waiter),
      'frame',
      (waiter) => this.frameWaiters.splice(this.frameWaiters.indexOf(waiter), 1),
      timeoutMs,
    );
  }

  close(code = 1000, reason?: string): Promise<JambonzWsClose> {
    if (this.ended === undefined) this.socket.close(code, reason);
    return this.closed;
  }

  /** Sends `{ type, msgid, call_sid, hook?, data }` as jambonz writes it; returns the msgid. */
  private send(type: JambonzWsMessageType, data: unknown, options: JambonzFrameOptions): string {
    const msgid = randomUUID();
    const callSid = options.callSid ?? this.session?.callSid;
    this.socket.send(JSON.stringify({ type, msgid, call_sid: callSid, hook: options.hook, data }));
    return msgid;
  }

  private wait<T>(
    register: (waiter: Waiter<T>) => void,
    what: string,
    unregister: (waiter: Waiter<T>) => void,
    timeoutMs = this.ackTimeout,
  ): Promise<T> {
    if (this.ended) return Promise.reject(new Error(`the connection is closed (${this.ended.code})`));
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        resolve,
        reject,
        timer: setTimeout(() => {
          unregister(waiter);
          reject(new Error(`no ${what} within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      register(waiter);
    });
  }

  private receive(frame: string | Buffer): void {
    let parsed: JambonzReceivedFrame = frame;
    if (typeof frame === 'string') {
      try {
        parsed = JSON.parse(frame) as JambonzReceivedFrame;
      } catch {
        // Text that is not JSON is handed over as it is.
      }
    }
    const ack = parsed as Partial<JambonzAckMessage> | null;
    const waiter = ack?.type === 'ack' && typeof ack.msgid === 'string' ? this.acks.get(ack.msgid) : undefined;
    if (waiter) {
      this.acks.delete(ack!.msgid!);
      clearTimeout(waiter.timer);
      waiter.resolve(ack as JambonzAckMessage);
      return;
    }
    const next = this.frameWaiters.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve(parsed);
    } else {
      this.frames.push(parsed);
    }
  }
}
