import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { getJambonzAuthContext, JambonzAuth, type JambonzAuthContext } from './jambonz-auth-context.decorator.js';
import type { JambonzRoutePolicy } from './jambonz-route.policy.js';
import { Admission, recordAdmission } from './request-state.js';

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

/** `request`, as the guard leaves a request it let through. */
function authenticated<R extends object>(request: R): R {
  recordAdmission(request, new Admission(context, {} as JambonzRoutePolicy));
  return request;
}

describe('getJambonzAuthContext', () => {
  it('reads the context the guard kept for the request', () => {
    expect(getJambonzAuthContext(authenticated({}))).toBe(context);
  });

  it('reads it under the key every copy of the package (ESM or CJS build) shares', () => {
    // What another copy's guard leaves: an object of its own class, with the same public shape.
    const request = { [Symbol.for('nestjs-jambonz-auth:admission:1')]: { context, isUnder: () => true } };
    expect(getJambonzAuthContext(request)).toBe(context);
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
    expect(injected(authenticated({ headers: {} }))).toBe(context);
  });

  it('injects undefined on a request the guard did not authenticate', () => {
    expect(injected({ headers: {} })).toBeUndefined();
  });
});
