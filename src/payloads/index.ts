// TypeScript types of the bodies jambonz posts to an application's webhooks, and of the verb
// arrays those webhooks answer, and of the frames of jambonz's WebSocket API and audio streams.
// Types only: this module has no run-time content.
export type * from './common.js';
export type * from './call-hook.js';
export type * from './call-status.js';
export type * from './gather-action.js';
export type * from './dial-action.js';
export type * from './amd-action.js';
export type * from './llm.js';
export type * from './sms.js';
export type * from './verbs.js';
export type * from './websocket.js';
