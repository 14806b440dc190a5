import { JambonzAuthConfigError } from './jambonz-auth-config.error.js';

describe('JambonzAuthConfigError', () => {
  it('prefixes the problem with the module name and has its own name', () => {
    const error = new JambonzAuthConfigError('something is wrong.');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('JambonzAuthConfigError');
    expect(error.message).toBe('JambonzAuthModule: something is wrong.');
    expect(String(error)).toBe('JambonzAuthConfigError: JambonzAuthModule: something is wrong.');
  });
});
