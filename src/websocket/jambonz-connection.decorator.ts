import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { JambonzWsConnection } from './jambonz-ws.connection.js';

/**
 * Parameter decorator that gives a `@JambonzGateway()` handler its {@link JambonzWsConnection}:
 * what authenticated the socket, the call's sid, and typed ways to answer.
 *
 * ```ts
 * @SubscribeMessage('llm:tool-call')
 * onTool(@MessageBody() message: LlmToolCallMessage, @JambonzConnection() call: JambonzWsConnection) {
 *   call.command('llm:tool-output', { result: 'sunny' }, { toolCallId: message.data.tool_call_id });
 * }
 * ```
 *
 * Gives `undefined` in a gateway that `JambonzWsAdapter` does not serve.
 */
export const JambonzConnection = createParamDecorator(
  (_data: unknown, context: ExecutionContext): JambonzWsConnection | undefined =>
    JambonzWsConnection.of(context.switchToWs().getClient()),
);
