import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { tap, type Observable } from 'rxjs';
import { JAMBONZ_MESSAGE_OUTCOME } from './jambonz-ws.constants.js';

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
 */
@Injectable()
export class JambonzReplyInterceptor implements NestInterceptor {
  /** Passes the handler's result through, marking the outcome on its first value or its completion. */
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const outcome = context.getArgs().find(isMessageOutcome);
    const complete = () => {
      if (outcome) outcome.completed = true;
    };
    return next.handle().pipe(tap({ next: complete, complete }));
  }
}
