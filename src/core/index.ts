export { nowInSeconds } from './clock.js';
export {
  BasicCredentialsVerifier,
  parseBasicAuthorization,
  UNSUPPORTED_CREDENTIAL_CHARACTERS,
  type BasicCredentials,
  type CredentialsMatch,
} from './basic-credentials.js';
export { computeSignature, type WebhookBody } from './compute-signature.js';
export { constantTimeEqual } from './constant-time.js';
export { generateSignatureHeader, type GenerateSignatureHeaderOptions } from './generate-signature-header.js';
export { isJambonzAuthError, JambonzAuthError, type JambonzAuthReason } from './jambonz-auth.error.js';
export { parseSignatureHeader, SIGNATURE_HEADER_LIMITS, type JambonzSignatureHeader } from './signature-header.js';
export {
  DEFAULT_TOLERANCE_SECONDS,
  verifyParsedSignature,
  verifySignature,
  type VerifiedSignature,
  type VerifySignatureOptions,
} from './verify-signature.js';
export { WELL_KNOWN_JAMBONZ_SECRET } from './webhook-secret.js';
