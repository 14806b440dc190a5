import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { describeError, logSafe, neutralise } from '../log-safe.util.js';
import { JambonzWsConnection } from './jambonz-ws.connection.js';

/**
 * Bound on every `@JambonzGateway()` class: logs a handler's failure (a guard, pipe or handler
 * that threw) and sends nothing. Nest 12's own filter would send
 * `{ event: 'exception', data: { ..., cause: { pattern, data } } }` over the socket: a frame
 * without `type`, which jambonz answers with `jambonz:error` and an alert, and which echoes the
 * call's data. The frame that failed gets no ack (see `JambonzReplyInterceptor`). A filter of the
 * app's own on the method or the class takes precedence.
 */
@Catch()
export class JambonzWsExceptionFilter implements ExceptionFilter {
  /** Where failures are logged, at `error` level. */
  protected readonly logger = new Logger('JambonzGateway');

  /** Logs the failure: the gateway, the pattern, the call, the error's name and message (neutralised) and its stack frames. */
  catch(exception: unknown, host: ArgumentsHost): void {
    const ws = host.switchToWs();
    const connection = JambonzWsConnection.of(ws.getClient());
    const pattern = String(ws.getPattern() as unknown);
    const error = exception instanceof Error ? exception : undefined;
    this.logger.error(
      `Handler for ${logSafe(pattern)} on ${connection?.path ?? 'a WebSocket'} (call ${logSafe(connection?.callSid ?? '-')}) ` +
        `failed, nothing sent: ${error ? nameAndMessage(error) : typeof exception}`,
      stackFrames(error),
    );
  }
}

/** `Name: message`, neutralised; from `describeError` when a getter throws. */
function nameAndMessage(error: Error): string {
  try {
    return logSafe(`${error.name}: ${error.message}`);
  } catch {
    return describeError(error);
  }
}

/**
 * The `at ...` lines of an error's stack: code locations, without the name and message, which may
 * quote client data (over several lines, some of which could look like frames). Each line is
 * neutralised as well, uncut, for a stack whose head no longer matches its message.
 */
function stackFrames(error: Error | undefined): string | undefined {
  try {
    const stack = typeof error?.stack === 'string' ? error.stack : '';
    const head = `${error?.name}: ${error?.message}`;
    const frames = (stack.startsWith(head) ? stack.slice(head.length) : stack)
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .map(neutralise)
      .join('\n');
    return frames || undefined;
  } catch {
    return undefined; // a stack, name or message getter that throws: the message line says what failed
  }
}
