import { Logger } from '@nestjs/common';
import { MessageBody, SubscribeMessage, type OnGatewayConnection, type OnGatewayDisconnect } from '@nestjs/websockets';
import {
  JambonzConnection,
  JambonzGateway,
  JambonzWsConnection,
  type CallStatusMessage,
  type SessionNewMessage,
  type SessionReconnectMessage,
} from 'nestjs-jambonz-auth/websocket';
import { GATHER_HOOK, gatherResultVerbs, gatherVerb, greetingVerbs, type Verb, type WebhookPayload } from './call-flow.js';
import { logSafe } from 'nestjs-jambonz-auth';

/**
 * The same call as the HTTP webhooks of call.controller.ts, over jambonz's WebSocket API: an
 * application whose call hook is `ws://<host>:3000/ws`. JambonzWsAdapter lets in only upgrades
 * with the call hook's Basic credentials (`basicAuth`, the module's default set) and the
 * subprotocol `ws.jambonz.org`; a handler's return value is the ack jambonz waits for.
 */
@JambonzGateway({ path: '/ws', kind: 'api' })
export class CallGateway implements OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(CallGateway.name);

  /** A call's socket opened: what authenticated it (a set and a position, never the credentials). */
  handleConnection(client: unknown): void {
    const { auth } = JambonzWsConnection.of(client)!;
    this.logger.log(`WebSocket API connection authenticated by ${auth.verifiedBy} (credential set '${auth.credentialSet}')`);
  }

  /** The call's socket closed. */
  handleDisconnect(client: unknown): void {
    this.logger.log(
      `WebSocket API connection of call ${logSafe(JambonzWsConnection.of(client)?.callSid ?? '(none yet)')} closed`,
    );
  }

  /** A new call: the ack carries the verbs that run it, as the HTTP call hook's answer does. */
  @SubscribeMessage('session:new')
  onSessionNew(@MessageBody() message: SessionNewMessage): Verb[] {
    this.logger.log(`session:new for call ${logSafe(message.call_sid)}`);
    return greetingVerbs(message.data as WebhookPayload);
  }

  /** jambonz lost the socket and reconnected: pick the conversation up again. */
  @SubscribeMessage('session:reconnect')
  onSessionReconnect(@MessageBody() message: SessionReconnectMessage, @JambonzConnection() call: JambonzWsConnection): Verb[] {
    this.logger.log(`session:reconnect for call ${logSafe(message.call_sid)} (connection of call ${logSafe(call.callSid)})`);
    return [{ verb: 'say', text: 'Sorry, we were cut off.' }, gatherVerb()];
  }

  /** The gather's action hook, routed by its hook: says what it heard, and hangs up. */
  @SubscribeMessage(`verb:hook:${GATHER_HOOK}`)
  onGather(@MessageBody('data') result: WebhookPayload): Verb[] {
    return gatherResultVerbs(result);
  }

  /** The call's status changed; this takes no answer. */
  @SubscribeMessage('call:status')
  onCallStatus(@MessageBody() message: CallStatusMessage): void {
    this.logger.log(`Call ${logSafe(message.call_sid)}: ${logSafe(message.data.call_status)}`);
  }
}
