import { requestState } from './request-state.js';

describe('requestState', () => {
  it('is one table per kind, registered on globalThis for every copy of the package (ESM and CommonJS builds)', () => {
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('nestjs-jambonz-auth:request-state:1')]).toBe(requestState);
    expect(requestState.admitted).toBeInstanceOf(WeakMap);
    expect(requestState.capturedBodies).toBeInstanceOf(WeakMap);
    expect(requestState.admitted).not.toBe(requestState.capturedBodies);
  });

  it('is the table another copy registered first', async () => {
    const key = Symbol.for('nestjs-jambonz-auth:request-state:1');
    const registry = globalThis as Record<symbol, unknown>;
    const kept = registry[key];
    const other = { admitted: new WeakMap(), capturedBodies: new WeakMap() };
    registry[key] = other;
    try {
      const again = (await import(`./request-state.js?copy=${Date.now()}`)) as typeof import('./request-state.js');
      expect(again.requestState).toBe(other);
    } finally {
      registry[key] = kept;
    }
  });
});
