import { Injectable, Module, UseGuards, type CanActivate } from '@nestjs/common';
import {
  Ack,
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
} from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type {
  CallStatusMessage,
  JambonzAudioMetadata,
  LlmToolCallMessage,
  SessionNewMessage,
  VerbHookMessage,
} from '../../src/payloads/index.js';
import {
  JambonzAudioEvent,
  JambonzConnection,
  JambonzFrameTooLargeError,
  JambonzGateway,
  JambonzWsConnection,
  type JambonzWsAuth,
} from '../../src/websocket/index.js';

/** What the gateways of a test app saw, for assertions: a connection refused at the upgrade never shows up here. */
@Injectable()
export class GatewayRecorder {
  /** handleConnection calls, by gateway. */
  readonly connections = { api: 0, audio: 0, plain: 0 };
  /** handleDisconnect calls, by gateway. */
  readonly disconnects = { api: 0, audio: 0, plain: 0 };
  /** What authenticated each API connection, with its subprotocol and user-agent, in order. */
  readonly apiConnections: Array<{ auth: JambonzWsAuth; protocol: string; userAgent: string | undefined }> = [];
  /** Each audio stream's metadata, frames and bytes, by call. */
  readonly audio = new Map<
    string,
    { metadata: JambonzAudioMetadata; protocol: string; frames: number; bytes: number; messages: unknown[] }
  >();
  /** `call:status` frames received. */
  readonly statuses: CallStatusMessage[] = [];
  /** Every message handled by the plain gateway. */
  readonly plain: unknown[] = [];

  /** The total of handleConnection calls on every gateway. */
  get totalConnections(): number {
    return this.connections.api + this.connections.audio + this.connections.plain;
  }
}

/** The verbs the API gateway answers a session:new with: they name the caller and the call. */
export function greeting(message: SessionNewMessage): unknown[] {
  return [
    { verb: 'say', text: `Hello ${message.data.from}` },
    { verb: 'gather', input: ['digits'], actionHook: '/gather', say: { text: `call ${message.call_sid}` } },
  ];
}

/** A guard that refuses a `dial:confirm` frame whose data says `refuse`, to show that a refused message gets no ack. */
class RefuseMarkedGuard implements CanActivate {
  canActivate(context: import('@nestjs/common').ExecutionContext): boolean {
    const frame = context.switchToWs().getData<{ data?: { refuse?: boolean } }>();
    return frame.data?.refuse !== true;
  }
}

/** The WebSocket API endpoint of the test apps, with the module's basicAuth. */
@JambonzGateway({ path: '/ws', kind: 'api', maxIncomingFrameBytes: 64 * 1024 })
export class ApiGateway implements OnGatewayConnection, OnGatewayDisconnect {
  constructor(private readonly recorder: GatewayRecorder) {}

  handleConnection(client: unknown, request: IncomingMessage): void {
    this.recorder.connections.api++;
    const connection = JambonzWsConnection.of(client)!;
    this.recorder.apiConnections.push({
      auth: connection.auth,
      protocol: connection.protocol,
      userAgent: request.headers['user-agent'],
    });
  }

  handleDisconnect(): void {
    this.recorder.disconnects.api++;
  }

  @SubscribeMessage('session:new')
  onSessionNew(@MessageBody() message: SessionNewMessage): unknown[] {
    return greeting(message);
  }

  @SubscribeMessage('session:reconnect')
  async onSessionReconnect(
    @MessageBody() message: SessionNewMessage,
    @JambonzConnection() call: JambonzWsConnection,
  ): Promise<unknown[]> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return [{ verb: 'say', text: `Welcome back, call ${call.callSid} (${message.data.call_sid})` }];
  }

  /** One handler for one action hook: routed by `type:hook`. */
  @SubscribeMessage('verb:hook:/gather')
  onGather(@MessageBody('data') data: { digits?: string }): unknown[] {
    return [{ verb: 'say', text: `You pressed ${data.digits}` }, { verb: 'hangup' }];
  }

  /** Every other action hook: `/big` answers over jambonz's 24 KiB, `/throw` fails, anything else acks without data. */
  @SubscribeMessage('verb:hook')
  onVerbHook(@MessageBody() message: VerbHookMessage): unknown[] | undefined {
    if (message.hook === '/big') return [{ verb: 'say', text: 'x'.repeat(25 * 1024) }];
    if (message.hook === '/throw') {
      // A handler quoting client data in its error: lines that look like log lines and stack frames.
      throw new Error(`handler failed for ${message.call_sid}\r\nforged log line\n    at \u001b[31mforged (frame.js:1:1)`);
    }
    return undefined;
  }

  @SubscribeMessage('dial:confirm')
  @UseGuards(RefuseMarkedGuard)
  onDialConfirm(): unknown[] {
    return [{ verb: 'say', text: 'confirmed' }];
  }

  /** Acknowledges itself, later, with Nest's @Ack(). */
  @SubscribeMessage('session:adulting')
  onAdulting(@Ack() ack: (data?: unknown) => void): void {
    setTimeout(() => ack([{ verb: 'pause', length: 1 }]), 10);
  }

  /** Takes no ack: answers with commands, the second over the limit. */
  @SubscribeMessage('llm:tool-call')
  onToolCall(@MessageBody() message: LlmToolCallMessage, @JambonzConnection() call: JambonzWsConnection): string {
    call.command('llm:tool-output', { result: 'sunny' }, { toolCallId: message.data.tool_call_id });
    try {
      call.command('redirect', [{ verb: 'say', text: 'y'.repeat(25 * 1024) }]);
    } catch (error) {
      const tooLarge = error as JambonzFrameTooLargeError;
      call.command('redirect', [{ verb: 'say', text: `${tooLarge.name} ${tooLarge.size} > ${tooLarge.limit}` }], {
        queueCommand: true,
      });
    }
    return 'ignored: llm:tool-call takes no ack';
  }

  @SubscribeMessage('call:status')
  onCallStatus(@MessageBody() message: CallStatusMessage): void {
    this.recorder.statuses.push(message);
  }
}

/** An audio endpoint with its own credential set, `audio`. */
@JambonzGateway({ path: '/audio', kind: 'audio', credentials: 'audio' })
export class AudioGateway implements OnGatewayConnection, OnGatewayDisconnect {
  constructor(private readonly recorder: GatewayRecorder) {}

  handleConnection(): void {
    this.recorder.connections.audio++;
  }

  handleDisconnect(): void {
    this.recorder.disconnects.audio++;
  }

  @SubscribeMessage(JambonzAudioEvent.Metadata)
  onMetadata(@MessageBody() metadata: JambonzAudioMetadata, @JambonzConnection() stream: JambonzWsConnection): void {
    this.recorder.audio.set(metadata.callSid, { metadata, protocol: stream.protocol, frames: 0, bytes: 0, messages: [] });
  }

  @SubscribeMessage(JambonzAudioEvent.Frame)
  onFrame(@MessageBody() frame: Buffer, @JambonzConnection() stream: JambonzWsConnection): Buffer | undefined {
    const call = this.recorder.audio.get(stream.callSid!)!;
    call.frames++;
    call.bytes += frame.length;
    // Bidirectional audio: the tenth frame is played back.
    return call.frames === 10 ? frame : undefined;
  }

  @SubscribeMessage(JambonzAudioEvent.Message)
  onMessage(@MessageBody() message: { event?: string }, @JambonzConnection() stream: JambonzWsConnection): unknown {
    this.recorder.audio.get(stream.callSid!)!.messages.push(message);
    return message.event === 'dtmf' ? { type: 'killAudio' } : undefined;
  }
}

/** An ordinary Nest gateway on the same adapter: Nest's `{ event, data }` frames, no authentication. */
@WebSocketGateway({ path: '/plain' })
export class PlainGateway implements OnGatewayConnection {
  constructor(private readonly recorder: GatewayRecorder) {}

  handleConnection(): void {
    this.recorder.connections.plain++;
  }

  @SubscribeMessage('echo')
  onEcho(@MessageBody() data: unknown, @ConnectedSocket() client: unknown): unknown {
    this.recorder.plain.push(data);
    return { event: 'echo', data: { data, jambonz: JambonzWsConnection.of(client) !== undefined } };
  }

  @SubscribeMessage('fail')
  onFail(): never {
    throw new Error('plain failure');
  }
}

/** The gateways and their recorder, for a test app's imports. */
@Module({ providers: [GatewayRecorder, ApiGateway, AudioGateway, PlainGateway], exports: [GatewayRecorder] })
export class GatewaysModule {}
