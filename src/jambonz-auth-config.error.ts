/**
 * Thrown while the application boots when the module's or a route's options are unusable: no
 * secret and no credentials, an empty or pasted-with-whitespace secret, a tolerance that is not
 * a positive number of seconds, a route that asks for a check the module has no material for...
 * The message names the option and says what to set. It never contains a secret's value.
 */
export class JambonzAuthConfigError extends Error {
  /** Always `'JambonzAuthConfigError'`. */
  override readonly name = 'JambonzAuthConfigError';

  /** @param problem what is wrong and what to set, in one or two sentences. */
  constructor(problem: string) {
    super(`JambonzAuthModule: ${problem}`);
  }
}
