import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { EMPTY, tap, type Observable } from 'rxjs';
import { JambonzWsConnection } from './jambonz-ws.connection.js';
import { JAMBONZ_MESSAGE_OUTCOME } from './jambonz-ws.constants.js';

/** WebSocket close code 1008, policy violation (RFC 6455, section 7.4.1). */
const POLICY_VIOLATION = 1008;

/**
 * What became of one message's handler. `JambonzWsAdapter` passes one to each handler call (an
 * extra argument, found by its brand) and reads it when the result arrives: Nest turns a guard,
 * pipe or handler that throws into a result of `undefined`, the same as a handler that returned
 * nothing, and only the second may be acknowledged.
 */
export interface JambonzMessageOutcome {
  /** Brand. */
  readonly [JAMBONZ_MESSAGE_OUTCOME]: true;
  /** The handler ran and answered (a value, or completion without one). */
  completed: boolean;
}

/** A new outcome, not completed. */
export function createMessageOutcome(): JambonzMessageOutcome {
  return { [JAMBONZ_MESSAGE_OUTCOME]: true, completed: false };
}

function isMessageOutcome(value: unknown): value is JambonzMessageOutcome {
  return (
    typeof value === 'object' && value !== null && (value as Partial<JambonzMessageOutcome>)[JAMBONZ_MESSAGE_OUTCOME] === true
  );
}

/**
 * Bound on every `@JambonzGateway()` class: marks the message's {@link JambonzMessageOutcome}
 * completed when the handler answers, so that `JambonzWsAdapter` acknowledges only handlers
 * that succeeded (a guard or pipe that refuses, or a handler that throws, gets no ack: jambonz
 * then times out as with a webhook that did not answer). It does not wrap or change the value,
 * so the app's own interceptors see the handler's real result.
 *
 * It is also the gateway's last line of defence: a message from a connection that
 * `JambonzWsAdapter` did not accept (the class served by another adapter, its gateway options
 * replaced by a `@WebSocketGateway()` written above `@JambonzGateway()`) runs no message handler,
 * and the connection is closed with 1008. Interceptors do not run for `handleConnection`, which
 * such a connection still reaches: only `JambonzWsAdapter` can refuse the upgrade itself.
 */
@Injectable()
export class JambonzReplyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('JambonzGateway');

  /** Passes the handler's result through, marking the outcome on its first value or its completion. */
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const client: unknown = context.switchToWs().getClient();
    if (JambonzWsConnection.of(client) === undefined) {
      this.logger.error(
        `${context.getClass().name} received a message on a connection JambonzWsAdapter did not authenticate: closed, ` +
          'no handler run. Call app.useWebSocketAdapter(new JambonzWsAdapter(app)), and declare the gateway with ' +
          '@JambonzGateway() alone (no @WebSocketGateway() above it).',
      );
      (client as { close?: (code: number) => void } | null)?.close?.(POLICY_VIOLATION);
      return EMPTY;
    }
    const outcome = context.getArgs().find(isMessageOutcome);
    const complete = () => {
      if (outcome) outcome.completed = true;
    };
    return next.handle().pipe(tap({ next: complete, complete }));
  }
}
