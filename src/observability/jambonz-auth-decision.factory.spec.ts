import { BadRequestException, PayloadTooLargeException, ServiceUnavailableException } from '@nestjs/common';
import { generateSignatureHeader } from '../core/index.js';
import { JambonzUnauthorizedException } from '../jambonz-unauthorized.exception.js';
import { JambonzReplayException } from '../replay/jambonz-replay.exception.js';
import type { WebhookRequest } from '../webhook-request.interface.js';
import { DECISION_REASON, httpDecision, withDecisionReason } from './jambonz-auth-decision.factory.js';

const NOW = 1_715_000_000;
const request: WebhookRequest = {
  method: 'POST',
  url: '/calls/hook',
  headers: { 'jambonz-signature': generateSignatureHeader('{}', 'wh_secret_decisionSpec001', { timestamp: NOW - 3 }) },
};

/** The reasons of the decision httpDecision builds for a guard that threw `error`; `undefined` for no decision. */
const reasonsFor = (error: unknown) => httpDecision(request, 'CallController.onCall', error, performance.now(), NOW)?.reasons;

describe('withDecisionReason', () => {
  it('tags the exception itself with the reason, and returns it', () => {
    const error = new PayloadTooLargeException();
    expect(withDecisionReason(error, 'body_too_large')).toBe(error);
    expect((error as unknown as Record<symbol, unknown>)[DECISION_REASON]).toBe('body_too_large');
    expect(error.getStatus()).toBe(413);
  });

  it('uses a symbol of the global registry, so that another copy of the package reads it too', () => {
    expect(DECISION_REASON).toBe(Symbol.for('nestjs-jambonz-auth:decision-reason'));
  });
});

describe('httpDecision', () => {
  it.each<[string, unknown, readonly string[]]>([
    ["the module's 413", withDecisionReason(new PayloadTooLargeException(), 'body_too_large'), ['body_too_large']],
    ["the module's 400", withDecisionReason(new BadRequestException(), 'body_unreadable'), ['body_unreadable']],
    ["the module's 503", withDecisionReason(new ServiceUnavailableException(), 'replay_store_failed'), ['replay_store_failed']],
    [
      'a 401',
      new JambonzUnauthorizedException(['signature_mismatch', 'credentials_mismatch']),
      ['signature_mismatch', 'credentials_mismatch'],
    ],
    ['a 409', new JambonzReplayException('replay_detected'), ['replay_detected']],
  ])('reports %s as a refusal, with its reasons', (_case, error, reasons) => {
    expect(httpDecision(request, 'CallController.onCall', error, performance.now(), NOW)).toMatchObject({
      transport: 'http',
      route: 'CallController.onCall',
      method: 'POST',
      outcome: 'refused',
      reasons,
      auth: undefined,
      skew: 3,
    });
  });

  // Only what the module tagged is its decision: an application's own 400 or 503 is not.
  it.each<[string, unknown]>([
    ['an untagged 400', new BadRequestException('The body is not valid JSON')],
    ['an untagged 413', new PayloadTooLargeException()],
    ['an untagged 503', new ServiceUnavailableException()],
    ['a plain Error', new Error('boom')],
    ['null', null],
    ['a string', 'thrown'],
  ])('builds no decision for %s', (_case, error) => {
    expect(reasonsFor(error)).toBeUndefined();
  });

  it('reports an accepted request with no reasons', () => {
    expect(reasonsFor(undefined)).toEqual([]);
  });
});
