// nestjs-jambonz-auth/testing: helpers for tests of apps that use nestjs-jambonz-auth, and the
// development defaults that the sample app and the jambonz-webhook CLI share. The WebSocket
// client loads `ws` only when called: the rest needs no WebSocket package.
export {
  sendWebhook,
  signWebhook,
  type SignedWebhook,
  type SignWebhookOptions,
  type WebhookRequestBuilder,
} from './sign-webhook.js';
export {
  buildJambonzRequest,
  type JambonzHookMethod,
  type JambonzRequest,
  type JambonzRequestOptions,
} from './jambonz-request.js';
export {
  JAMBONZ_SAMPLES,
  JAMBONZ_SESSION_NEW_SAMPLE,
  jambonzSample,
  type JambonzSample,
  type JambonzSampleName,
  type JambonzSamplePayloads,
} from './jambonz-samples.js';
export { TEST_CREDENTIALS, TEST_WEBHOOK_SECRET, testCredentials, testSecret } from './testing.constants.js';
export { JAMBONZ_ENV, secretsOfEnv } from './jambonz-env.constants.js';
export { overrideJambonzAuth, type JambonzTestingModuleBuilder } from './jambonz-auth.override.js';
export {
  connectLikeJambonz,
  JambonzUpgradeRefusedError,
  JambonzWsClientError,
  type ConnectLikeJambonzOptions,
  type JambonzWsClientFailure,
  type JambonzFrameOptions,
  type JambonzReceivedFrame,
  type JambonzWsClose,
  type JambonzWsTestClient,
} from './jambonz-ws.client.js';
