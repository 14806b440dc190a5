// nestjs-jambonz-auth/testing: helpers for tests of apps that use nestjs-jambonz-auth.
export {
  sendWebhook,
  signWebhook,
  TEST_WEBHOOK_SECRET,
  type SignedWebhook,
  type SignWebhookOptions,
  type WebhookRequestBuilder,
} from './sign-webhook.js';
export { overrideJambonzAuth, testCredentials, testSecret, type JambonzTestingModuleBuilder } from './jambonz-auth.override.js';
