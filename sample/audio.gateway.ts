import { Logger } from '@nestjs/common';
import { MessageBody, SubscribeMessage, type OnGatewayDisconnect } from '@nestjs/websockets';
import {
  JambonzAudioEvent,
  JambonzConnection,
  JambonzGateway,
  JambonzWsConnection,
  type JambonzAudioMetadata,
} from 'nestjs-jambonz-auth/websocket';
import { logSafe } from 'nestjs-jambonz-auth';

/** What one audio stream brought so far. */
interface StreamTotals {
  frames: number;
  bytes: number;
}

/**
 * The endpoint of a `listen` or `stream` verb (`{ verb: 'listen', url: 'ws://<host>:3000/audio' }`):
 * FreeSWITCH's audio fork opens it with `audio.jambonz.org` (or `audio.drachtio.org`) and the
 * verb's `wsAuth` credentials, here the call hook's (`basicAuth`). It logs the call when the
 * metadata frame arrives, counts the audio, and logs the totals when the stream ends.
 */
@JambonzGateway({ path: '/audio', kind: 'audio' })
export class AudioGateway implements OnGatewayDisconnect {
  private readonly logger = new Logger(AudioGateway.name);
  private readonly totals = new WeakMap<JambonzWsConnection, StreamTotals>();

  /** The first frame: the audio format and the call. */
  @SubscribeMessage(JambonzAudioEvent.Metadata)
  onMetadata(@MessageBody() metadata: JambonzAudioMetadata, @JambonzConnection() stream: JambonzWsConnection): void {
    this.totals.set(stream, { frames: 0, bytes: 0 });
    this.logger.log(
      `Audio stream of call ${logSafe(metadata.callSid)}: ${logSafe(metadata.sampleRate)} Hz, ${logSafe(metadata.mixType)} ` +
        `(${stream.protocol})`,
    );
  }

  /** One binary frame of 16-bit linear PCM. */
  @SubscribeMessage(JambonzAudioEvent.Frame)
  onFrame(@MessageBody() frame: Buffer, @JambonzConnection() stream: JambonzWsConnection): void {
    const totals = this.totals.get(stream)!;
    totals.frames++;
    totals.bytes += frame.length;
  }

  /** A later text frame: a DTMF key with `passDtmf`, `playDone` after a `playAudio`... */
  @SubscribeMessage(JambonzAudioEvent.Message)
  onMessage(@MessageBody() message: { event?: string; dtmf?: string }, @JambonzConnection() stream: JambonzWsConnection): void {
    if (message.event === 'dtmf') this.logger.log(`Call ${logSafe(stream.callSid)} pressed ${logSafe(message.dtmf)}`);
  }

  /** The stream ended: how much audio it carried. */
  handleDisconnect(client: unknown): void {
    const stream = JambonzWsConnection.of(client);
    const totals = stream && this.totals.get(stream);
    if (totals)
      this.logger.log(`Audio stream of call ${logSafe(stream.callSid)} ended: ${totals.frames} frames, ${totals.bytes} bytes`);
  }
}
