import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import {
  JAMBONZ_AUTH_CONFIG,
  JAMBONZ_AUTH_MODULE_OPTIONS,
  JAMBONZ_GLOBAL_METER_PROVIDER,
  JAMBONZ_ROUTE_POLICIES,
  JAMBONZ_SUCCESS_STATUSES,
  JAMBONZ_WEBHOOK_OPTIONS,
  NEST_METADATA,
  SIGNATURE_HEADER,
} from './jambonz-auth.constants.js';

describe('the tokens and keys the ESM and CommonJS builds must agree on', () => {
  it('are fixed strings', () => {
    expect(JAMBONZ_AUTH_MODULE_OPTIONS).toBe('nestjs-jambonz-auth:module-options');
    expect(JAMBONZ_AUTH_CONFIG).toBe('nestjs-jambonz-auth:config');
    expect(JAMBONZ_ROUTE_POLICIES).toBe('nestjs-jambonz-auth:route-policies');
    expect(JAMBONZ_GLOBAL_METER_PROVIDER).toBe('nestjs-jambonz-auth:global-meter-provider');
    expect(JAMBONZ_WEBHOOK_OPTIONS).toBe('nestjs-jambonz-auth:webhook-options');
  });
});

describe("Nest's metadata keys", () => {
  it("are the values @nestjs/common's own constants have, in an object nobody can change", () => {
    expect(NEST_METADATA).toEqual({ method: METHOD_METADATA, path: PATH_METADATA, httpCode: HTTP_CODE_METADATA });
    expect(NEST_METADATA).toEqual({ method: 'method', path: 'path', httpCode: '__httpCode__' });
    expect(Object.isFrozen(NEST_METADATA)).toBe(true);
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
