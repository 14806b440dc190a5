import type { LoggerService } from '@nestjs/common';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { defaultIfEmpty, Subject, take, takeUntil, type Observable } from 'rxjs';
import { describeError, logSafe } from '../log-safe.util.js';
import type { JambonzAudioMetadata } from '../payloads/index.js';
import { JambonzFrameTooLargeError } from './jambonz-frame-too-large.error.js';
import { createMessageOutcome, type JambonzMessageOutcome } from './jambonz-ws-reply.interceptor.js';
import type { JambonzWsConnection } from './jambonz-ws.connection.js';
import { JAMBONZ_ACK_TYPES, JambonzAudioEvent } from './jambonz-ws.constants.js';

/** How Nest turns a handler's result (a value, a promise, an observable) into an observable. */
export type ResultTransform = (result: unknown) => Observable<unknown>;

/**
 * What a gateway's connections share: its handlers by pattern, and which one-time warnings were
 * logged, so that each is logged once per gateway rather than once per call.
 */
export interface GatewayRouting {
  /** The gateway's handlers, by the pattern of their `@SubscribeMessage()`. */
  readonly handlers: ReadonlyMap<string, MessageMappingProperties>;
  /** Keys of the one-time warnings already logged. */
  readonly warned: Set<string>;
}

/** The handler's answer never came (an observable that completed without a value). */
const NO_RESULT = Symbol('no result');

/** Why a frame was dropped, as the log says it. */
type DropReason =
  | 'a binary frame'
  | 'a frame that is not JSON'
  | 'a frame without a type'
  | 'a frame that waits for an ack but has no msgid'
  | 'audio before the metadata frame'
  | 'a metadata frame that is not a JSON object'
  | 'a text frame that is not a JSON object';

/**
 * Routes the frames of one jambonz connection to its gateway's `@SubscribeMessage()` handlers,
 * and turns their answers into acks. Nothing it does throws into `ws`'s event emitter: a frame it
 * cannot use is logged and dropped, and the connection, and every other, goes on.
 *
 * WebSocket API (`kind: 'api'`): each frame must be JSON text, an object with a string `type`,
 * and a string `msgid` when its type waits for an ack. The handler is found by `type:hook`
 * first (`verb:hook:/gather-done`, one handler per action hook), then by `type`, and gets the
 * whole frame as its message body (`@MessageBody('data')` for the data alone). For a type that
 * waits for an ack, the handler's answer becomes `{ type: 'ack', msgid, data }` (`data` left
 * out for `undefined` or `null`), unless the handler takes `@Ack()` and acknowledges itself; a
 * handler that fails gets no ack; a type without a handler is acknowledged without data (with a
 * warning once). Other types take no answer: a returned value is ignored (with a warning once).
 *
 * Audio (`kind: 'audio'`): the first frame must be a JSON object, the metadata
 * (`audio:metadata`); then each binary frame goes to `audio:frame` as a `Buffer`, each text frame
 * to `audio:message` parsed. An answer is sent back: an object as JSON text, binary as binary.
 */
export class JambonzMessageRouter {
  private readonly closed$ = new Subject<void>();
  /** Frames dropped, by reason: the first of each is logged, the rest counted into one line at close. */
  private readonly dropped = new Map<DropReason, number>();

  /**
   * @param connection the connection whose frames this routes.
   * @param transform Nest's result transform, as `bindMessageHandlers` receives it.
   */
  constructor(
    private readonly connection: JambonzWsConnection,
    private readonly routing: GatewayRouting,
    private readonly transform: ResultTransform,
    private readonly logger: LoggerService,
  ) {}

  /** Routes one frame, as `ws` delivers it. Never throws. */
  route(data: Buffer, isBinary: boolean): void {
    try {
      if (this.connection.kind === 'audio') this.routeAudio(data, isBinary);
      else this.routeApi(data, isBinary);
    } catch (error) {
      this.logger.error(`Could not route a frame on ${this.where()}: ${describeError(error)}`);
    }
  }

  /** The connection closed: pending answers are dropped, and the count of dropped frames logged. */
  close(): void {
    this.closed$.next();
    this.closed$.complete();
    const more = [...this.dropped].filter(([, count]) => count > 1).map(([reason, count]) => `${count - 1} more ${reason}`);
    if (more.length > 0) this.logger.warn(`Dropped on ${this.where()} after the first: ${more.join(', ')}`);
  }

  private routeApi(data: Buffer, isBinary: boolean): void {
    // jambonz sends JSON text only; its client cannot read binary either.
    if (isBinary) return this.drop('a binary frame');
    const frame = parseJson(data);
    if (!isObject(frame)) return this.drop('a frame that is not JSON');
    const { type, msgid, hook } = frame;
    if (typeof type !== 'string' || type === '') return this.drop('a frame without a type');
    const ack = JAMBONZ_ACK_TYPES.has(type);
    if (ack && (typeof msgid !== 'string' || msgid === '')) return this.drop('a frame that waits for an ack but has no msgid');
    if ((type === 'session:new' || type === 'session:reconnect') && typeof frame.call_sid === 'string') {
      this.connection.recordCall(frame.call_sid);
    }
    const handler =
      (typeof hook === 'string' ? this.routing.handlers.get(`${type}:${hook}`) : undefined) ?? this.routing.handlers.get(type);
    if (handler) {
      this.dispatch(handler, frame, type, ack ? (msgid as string) : undefined);
    } else if (ack) {
      this.warnOnce(`unhandled:${type}`, `No handler for ${logSafe(type)} on ${this.connection.path}: acknowledged without data`);
      this.safely(() => this.connection.ack(msgid as string), type);
    }
  }

  private routeAudio(data: Buffer, isBinary: boolean): void {
    if (this.connection.metadata === undefined) {
      if (isBinary) return this.drop('audio before the metadata frame');
      const metadata = parseJson(data);
      if (!isObject(metadata)) return this.drop('a metadata frame that is not a JSON object');
      const audio = metadata as JambonzAudioMetadata;
      this.connection.recordCall(typeof audio.callSid === 'string' ? audio.callSid : undefined, audio);
      return this.routeEvent(JambonzAudioEvent.Metadata, audio);
    }
    if (isBinary) return this.routeEvent(JambonzAudioEvent.Frame, data);
    const message = parseJson(data);
    if (!isObject(message)) return this.drop('a text frame that is not a JSON object');
    this.routeEvent(JambonzAudioEvent.Message, message);
  }

  private routeEvent(event: string, body: unknown): void {
    const handler = this.routing.handlers.get(event);
    if (handler) this.dispatch(handler, body, event, undefined);
  }

  /** Calls the handler and settles its answer; `msgid` is set when the frame waits for an ack. */
  private dispatch(handler: MessageMappingProperties, body: unknown, pattern: string, msgid: string | undefined): void {
    let acked = false;
    // Given to the handler as an argument: Nest's @Ack() (websockets 11.1.7 and later) injects
    // the first function among them.
    const ack = (data?: unknown): void => {
      if (msgid === undefined || acked) return;
      acked = true;
      this.safely(() => this.connection.ack(msgid, data ?? undefined), pattern);
    };
    const outcome = createMessageOutcome();
    this.transform(handler.callback(body, ack, outcome))
      .pipe(defaultIfEmpty(NO_RESULT), take(1), takeUntil(this.closed$))
      .subscribe({
        next: (result) =>
          this.settle(
            result,
            outcome,
            pattern,
            msgid === undefined ? 'none' : handler.isAckHandledManually ? 'manual' : 'auto',
            ack,
          ),
        error: (error: unknown) =>
          this.logger.error(`Handler for ${logSafe(pattern)} on ${this.where()} failed: ${describeError(error)}`),
      });
  }

  /**
   * Acknowledges, sends or ignores the handler's answer. `acking`: `none` for a frame that waits
   * for no ack, `manual` when the handler takes `@Ack()`, else `auto`.
   */
  private settle(
    result: unknown,
    outcome: JambonzMessageOutcome,
    pattern: string,
    acking: 'none' | 'manual' | 'auto',
    ack: (data?: unknown) => void,
  ): void {
    // Not completed: a guard, a pipe or the handler threw, and the exception filter logged it.
    // An ack would pass the failure off as an answer; without one jambonz times out after 5 s.
    if (!outcome.completed) return;
    const value = result === NO_RESULT ? undefined : result;
    if (this.connection.kind === 'api') {
      if (acking === 'auto') {
        ack(value);
      } else if (acking === 'none' && value !== undefined && value !== null) {
        this.warnOnce(
          `ignored:${pattern}`,
          `${logSafe(pattern)} on ${this.connection.path} takes no answer: the handler's return value is ignored ` +
            '(send a command with JambonzWsConnection.command() instead)',
        );
      }
      return;
    }
    if (value === undefined || value === null) return;
    this.safely(
      () => (value instanceof Uint8Array ? this.connection.sendAudio(value) : this.connection.sendJson(value as object)),
      pattern,
    );
  }

  /** Sends an answer; a failure (a frame over the limit, a value without JSON form) is logged, not thrown. */
  private safely(send: () => unknown, pattern: string): void {
    try {
      send();
    } catch (error) {
      const why = error instanceof JambonzFrameTooLargeError ? error.message : `not sent: ${describeError(error)}`;
      this.logger.error(`Answer to ${logSafe(pattern)} on ${this.where()}: ${why}`);
    }
  }

  private drop(reason: DropReason): void {
    const count = (this.dropped.get(reason) ?? 0) + 1;
    this.dropped.set(reason, count);
    if (count === 1) this.logger.warn(`Dropped ${reason} on ${this.where()}`);
  }

  private warnOnce(key: string, message: string): void {
    if (this.routing.warned.has(key)) return;
    this.routing.warned.add(key);
    this.logger.warn(message);
  }

  /** `/ws (call <sid>)`, the call neutralised: it came from the client. */
  private where(): string {
    return `${this.connection.path} (call ${logSafe(this.connection.callSid ?? '-')})`;
  }
}

function parseJson(data: Buffer): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
