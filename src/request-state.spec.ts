import { inspect } from 'node:util';
import type { JambonzAuthContext } from './jambonz-auth-context.decorator.js';
import type { JambonzRoutePolicy } from './jambonz-route.policy.js';
import { Admission, admissionOf, capturedBodies, recordAdmission } from './request-state.js';

const context = { verifiedBy: 'signature' } as JambonzAuthContext;
const policy = { secrets: ['wh_secret_never-printed'] } as unknown as JambonzRoutePolicy;

describe('Admission', () => {
  it('is under the policy it was made with, and no other', () => {
    const admission = new Admission(context, policy);
    expect(admission.context).toBe(context);
    expect(admission.isUnder(policy)).toBe(true);
    expect(admission.isUnder({ ...policy })).toBe(false);
  });

  it('is kept on the request under a key every copy of the package (ESM and CommonJS builds) shares', () => {
    const request = {};
    const admission = new Admission(context, policy);
    recordAdmission(request, admission);
    expect((request as Record<symbol, unknown>)[Symbol.for('nestjs-jambonz-auth:admission:1')]).toBe(admission);
    expect(admissionOf(request)).toBe(admission);
  });

  it('never shows the policy (and its secrets) when the request is logged', () => {
    const request = {};
    recordAdmission(request, new Admission(context, policy));
    expect(inspect(request, { depth: Infinity, showHidden: true })).not.toContain('never-printed');
    expect(JSON.stringify(request)).toBe('{}');
  });

  it.each<[string, unknown]>([
    ['a request the guard did not admit', {}],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'request'],
  ])('is absent for %s', (_case, request) => {
    expect(admissionOf(request)).toBeUndefined();
  });
});

describe('capturedBodies', () => {
  it('is one table for every copy of the package, registered on globalThis', async () => {
    const key = Symbol.for('nestjs-jambonz-auth:captured-bodies:1');
    const registry = globalThis as Record<symbol, unknown>;
    expect(registry[key]).toBe(capturedBodies);
    expect(capturedBodies).toBeInstanceOf(WeakMap);
    const kept = registry[key];
    const other = new WeakMap();
    registry[key] = other;
    try {
      const again = (await import(`./request-state.js?copy=${Date.now()}`)) as typeof import('./request-state.js');
      expect(again.capturedBodies).toBe(other);
    } finally {
      registry[key] = kept;
    }
  });
});
