import { MessageBody, SubscribeMessage, type OnGatewayConnection } from '@nestjs/websockets';
import { JambonzGateway, JambonzWsConnection, type SessionNewMessage } from 'nestjs-jambonz-auth/websocket';

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
}
