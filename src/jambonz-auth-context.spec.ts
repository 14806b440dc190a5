import { JAMBONZ_AUTH_CONTEXT } from './jambonz-auth.constants.js';
import { getJambonzAuthContext, type JambonzAuthContext } from './jambonz-auth-context.js';

const context: JambonzAuthContext = {
  method: 'signature',
  timestamp: 1715000000,
  username: undefined,
  accountSid: 'ACCOUNT-SID-0001',
  bodySource: 'raw-body',
};

describe('getJambonzAuthContext', () => {
  it('reads the context the guard left on the request', () => {
    expect(getJambonzAuthContext({ [JAMBONZ_AUTH_CONTEXT]: context })).toBe(context);
  });

  it('finds it under the registered symbol, as another copy of the package (ESM or CJS build) would', () => {
    expect(getJambonzAuthContext({ [Symbol.for('nestjs-jambonz-auth:context')]: context })).toBe(context);
  });

  it.each<[string, unknown]>([
    ['an unauthenticated request', { headers: {} }],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'request'],
    ['a number', 42],
  ])('gives undefined for %s', (_case, request) => {
    expect(getJambonzAuthContext(request)).toBeUndefined();
  });
});
