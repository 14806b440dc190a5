import { ENV as CLI_ENV, SAMPLE_DEV_SECRET as CLI_DEV_SECRET } from '../src/cli/defaults.js';
import { CapturedLogs } from '../test/support/captured-logs.js';
import { DEV_SECRET_WARNING, jambonzAuthOptionsFromEnv, SAMPLE_DEV_SECRET, SAMPLE_ENV } from './jambonz-config.js';

const SECRET = 'wh_secret_sampleConfigSpec001';
const OLD_SECRET = 'wh_secret_sampleConfigSpec000';
const CREDENTIALS = { username: 'jambonz', password: 'p:ss wörd' };

/** Runs the sample's env-to-options mapping on a plain object, with a logger that keeps the lines. */
function optionsFor(env: Record<string, string>) {
  const logs = new CapturedLogs();
  return { options: jambonzAuthOptionsFromEnv((name) => env[name], logs), logs: logs.lines.join('\n') };
}

describe('jambonzAuthOptionsFromEnv', () => {
  it.each([
    ['one secret', { [SAMPLE_ENV.secret]: SECRET }, { secret: [SECRET] }],
    [
      'a rotation list, trimmed, empties dropped',
      { [SAMPLE_ENV.secret]: ` ${SECRET} ,, ${OLD_SECRET},` },
      { secret: [SECRET, OLD_SECRET] },
    ],
    [
      'Basic credentials',
      { [SAMPLE_ENV.username]: CREDENTIALS.username, [SAMPLE_ENV.password]: CREDENTIALS.password },
      { basicAuth: CREDENTIALS },
    ],
    [
      'a secret and Basic credentials',
      { [SAMPLE_ENV.secret]: SECRET, [SAMPLE_ENV.username]: CREDENTIALS.username, [SAMPLE_ENV.password]: CREDENTIALS.password },
      { secret: [SECRET], basicAuth: CREDENTIALS },
    ],
  ])('turns %s into module options, without the warning', (_what, env, expected) => {
    const { options, logs } = optionsFor(env);
    expect(options).toEqual(expected);
    expect(logs).not.toContain('WARNING');
  });

  it.each([
    ['nothing set', {}],
    ['only empty values', { [SAMPLE_ENV.secret]: ' , ', [SAMPLE_ENV.username]: '', [SAMPLE_ENV.password]: '' }],
  ])('falls back to the development secret with a loud warning when %s', (_what, env) => {
    const { options, logs } = optionsFor(env);
    expect(options).toEqual({ secret: SAMPLE_DEV_SECRET });
    expect(logs).toContain(`warn ${DEV_SECRET_WARNING}`);
    expect(DEV_SECRET_WARNING.split('\n').length).toBeGreaterThan(5);
    expect(DEV_SECRET_WARNING).toContain('DEVELOPMENT secret. That secret is in the source code for anyone to read');
    expect(DEV_SECRET_WARNING).toContain(`${SAMPLE_ENV.secret}=<your webhook secret> npm start`);
  });

  it.each([
    ['without Basic credentials', { [SAMPLE_ENV.secret]: SECRET }, true],
    ['with Basic credentials', { [SAMPLE_ENV.username]: 'u', [SAMPLE_ENV.password]: 'p' }, false],
  ])('says at startup whether GET hooks are refused: %s', (_what, env, refused) => {
    expect(optionsFor(env).logs.includes('GET webhooks will be refused')).toBe(refused);
  });

  it.each([
    ['the username', SAMPLE_ENV.username],
    ['the password', SAMPLE_ENV.password],
  ])('refuses %s without the other, naming both variables', (_what, name) => {
    expect(() => optionsFor({ [SAMPLE_ENV.secret]: SECRET, [name]: 'x' })).toThrow(
      new RegExp(`Set both ${SAMPLE_ENV.username} and ${SAMPLE_ENV.password}, or neither: ${name} is set`),
    );
  });

  it('agrees with the jambonz-webhook CLI on the development secret and the variable names', () => {
    expect(SAMPLE_DEV_SECRET).toBe(CLI_DEV_SECRET);
    expect(SAMPLE_ENV).toEqual({ secret: CLI_ENV.secret, username: CLI_ENV.username, password: CLI_ENV.password });
  });
});
