import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { getJambonzAuthContext, JambonzAuth, type JambonzAuthContext } from './jambonz-auth-context.decorator.js';
import { JAMBONZ_AUTH_CONTEXT } from './jambonz-auth.constants.js';

const context: JambonzAuthContext = {
  verifiedBy: 'both',
  timestamp: 1715000000,
  secretSet: 'default',
  secretIndex: 1,
  username: 'jambonz',
  credentialSet: 'status',
  credentialIndex: 0,
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

describe('@JambonzAuth()', () => {
  class CallController {
    onCall(@JambonzAuth() auth: JambonzAuthContext | undefined) {
      return auth;
    }
  }

  /** What Nest would inject for the parameter, for a request: the decorator's factory run on that request's context. */
  function injected(request: object): unknown {
    const parameters = Reflect.getMetadata(ROUTE_ARGS_METADATA, CallController, 'onCall') as Record<
      string,
      { index: number; factory: (data: unknown, context: ExecutionContextHost) => unknown }
    >;
    const [parameter] = Object.values(parameters);
    expect(parameter!.index).toBe(0);
    const host = new ExecutionContextHost([request, {}, () => undefined], CallController, CallController.prototype.onCall);
    host.setType('http');
    return parameter!.factory(undefined, host);
  }

  it("injects the request's context", () => {
    expect(injected({ headers: {}, [JAMBONZ_AUTH_CONTEXT]: context })).toBe(context);
  });

  it('injects undefined on a request the guard did not authenticate', () => {
    expect(injected({ headers: {} })).toBeUndefined();
  });
});
