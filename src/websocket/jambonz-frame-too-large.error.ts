/**
 * Thrown when a frame for jambonz is larger than the far end accepts: over the WebSocket API,
 * jambonz's `JAMBONES_WS_MAX_PAYLOAD` (24 KiB by default, the module's
 * `websocket.maxOutgoingFrameBytes`), beyond which jambonz's client closes the call's socket with
 * 1009 and reconnects; over an audio stream, mod_audio_fork's 650 KiB receive buffer. Nothing was
 * sent. Over the WebSocket API, split the verbs (a `redirect` command with `queueCommand: true`
 * appends more), or raise both limits together; over an audio stream, send smaller frames.
 */
export class JambonzFrameTooLargeError extends Error {
  /** Always `'JambonzFrameTooLargeError'`. */
  override readonly name = 'JambonzFrameTooLargeError';

  /**
   * @param size the frame's size, in bytes (UTF-8 of the JSON text, or the binary frame's length).
   * @param limit the largest frame the far end accepts, in bytes.
   * @param receiver the far end: `'jambonz'` (the WebSocket API, the default) or
   *   `'mod_audio_fork'` (an audio stream).
   */
  constructor(
    readonly size: number,
    readonly limit: number,
    readonly receiver: 'jambonz' | 'mod_audio_fork' = 'jambonz',
  ) {
    super(`not sent: a frame of ${size} bytes, over the ${limit} bytes ${receiver} accepts`);
  }
}
