import {
  JAMBONZ_AUTH_CONFIG,
  JAMBONZ_AUTH_CONTEXT,
  JAMBONZ_AUTH_MODULE_OPTIONS,
  JAMBONZ_SUCCESS_STATUSES,
  JAMBONZ_WEBHOOK_OPTIONS,
  SIGNATURE_HEADER,
} from './jambonz-auth.constants.js';

describe('the tokens and keys the ESM and CommonJS builds must agree on', () => {
  it('are fixed strings and registered symbols', () => {
    expect(JAMBONZ_AUTH_MODULE_OPTIONS).toBe('nestjs-jambonz-auth:module-options');
    expect(JAMBONZ_AUTH_CONFIG).toBe('nestjs-jambonz-auth:config');
    expect(JAMBONZ_WEBHOOK_OPTIONS).toBe('nestjs-jambonz-auth:webhook-options');
    expect(JAMBONZ_AUTH_CONTEXT).toBe(Symbol.for('nestjs-jambonz-auth:context'));
  });
});

describe('what jambonz sends and expects', () => {
  it('names the signature header as Node delivers it', () => {
    expect(SIGNATURE_HEADER).toBe('jambonz-signature');
  });

  it('counts only 200, 202 and 204 as a successful webhook, in a list nobody can change', () => {
    expect(JAMBONZ_SUCCESS_STATUSES).toEqual([200, 202, 204]);
    expect(Object.isFrozen(JAMBONZ_SUCCESS_STATUSES)).toBe(true);
  });
});
