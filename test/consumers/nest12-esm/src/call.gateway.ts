import { Ack, MessageBody, SubscribeMessage, type OnGatewayConnection } from '@nestjs/websockets';
import { JambonzGateway, JambonzWsConnection, type SessionNewMessage, type VerbHookMessage } from 'nestjs-jambonz-auth/websocket';

/** jambonz's WebSocket API: an application whose call hook is ws://host/ws. */
@JambonzGateway({ path: '/ws', kind: 'api' })
export class CallGateway implements OnGatewayConnection {
  readonly connected: string[] = [];

  handleConnection(client: unknown): void {
    this.connected.push(JambonzWsConnection.of(client)!.auth.username!);
  }

  @SubscribeMessage('session:new')
  onCall(@MessageBody() message: SessionNewMessage) {
    return [{ verb: 'say', text: `Hola ${message.data.from}` }, { verb: 'hangup' }];
  }

  /** The hook /throw fails: nothing is sent, not even an ack. Any other is acknowledged with @Ack(). */
  @SubscribeMessage('verb:hook')
  onHook(@MessageBody() message: VerbHookMessage<{ digits?: string }>, @Ack() ack: (data?: unknown) => void): void {
    if (message.hook === '/throw') throw new Error('handler failed');
    ack([{ verb: 'say', text: `You pressed ${message.data.digits}` }]);
  }
}
