// nestjs-jambonz-auth/websocket: authenticating jambonz's WebSocket API connections and audio
// streams in Nest gateways, and speaking jambonz's frames to them. Needs @nestjs/websockets and
// @nestjs/platform-ws (optional peer dependencies of the package); the main entry point never
// loads this one.
export { JambonzWsAdapter, type JambonzVerifyCallback, type JambonzWsAdapterOptions } from './jambonz-ws.adapter.js';
export { JambonzGateway } from './jambonz-gateway.decorator.js';
export { JambonzConnection } from './jambonz-connection.decorator.js';
export {
  JambonzWsConnection,
  type JambonzCommandOptions,
  type JambonzSocket,
  type JambonzWsAuth,
} from './jambonz-ws.connection.js';
export type { JambonzUpgradeDecision, UpgradeHeaders } from './jambonz-upgrade.decision.js';
export type { JambonzGatewayPolicy } from './jambonz-gateway.policy.js';
export { JambonzFrameTooLargeError } from './jambonz-frame-too-large.error.js';
export { JambonzReplyInterceptor, type JambonzMessageOutcome } from './jambonz-ws-reply.interceptor.js';
export { JambonzWsExceptionFilter } from './jambonz-ws-exception.filter.js';
export type { ResultTransform } from './jambonz-message.router.js';
export {
  AUDIO_FORK_MAX_FRAME_BYTES,
  DEFAULT_MAX_INCOMING_FRAME_BYTES,
  JAMBONZ_ACK_TIMEOUT_MS,
  JAMBONZ_ACK_TYPES,
  JAMBONZ_API_SUBPROTOCOL,
  JAMBONZ_AUDIO_SUBPROTOCOLS,
  JAMBONZ_HANDSHAKE_TIMEOUT_MS,
  JAMBONZ_MAX_FRAME_BYTES,
  JAMBONZ_SUBPROTOCOLS,
  JambonzAudioEvent,
  type JambonzAudioEventName,
  type JambonzEndpointKind,
} from './jambonz-ws.constants.js';
export type { JambonzGatewayOptions, JambonzWebSocketOptions } from '../jambonz-auth-options.interface.js';
export type {
  CallStatusMessage,
  JambonzAckMessage,
  JambonzAudioMetadata,
  JambonzCommandMessage,
  JambonzCommandName,
  JambonzWsMessage,
  JambonzWsMessageType,
  LlmToolCallMessage,
  SessionNewMessage,
  SessionReconnectMessage,
  VerbHookMessage,
} from '../payloads/index.js';
