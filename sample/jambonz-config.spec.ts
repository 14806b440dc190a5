import { JAMBONZ_ENV, TEST_WEBHOOK_SECRET } from 'nestjs-jambonz-auth/testing';
import { CapturedLogs } from '../test/support/captured-logs.js';
import { DEV_SECRET_WARNING, jambonzAuthOptionsFromEnv } from './jambonz-config.js';

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
    ['one secret', { [JAMBONZ_ENV.secret]: SECRET }, { secret: [SECRET] }],
    [
      'a rotation list, trimmed, empties dropped',
      { [JAMBONZ_ENV.secret]: ` ${SECRET} ,, ${OLD_SECRET},` },
      { secret: [SECRET, OLD_SECRET] },
    ],
    [
      'a rotation list with an item of invisible characters, dropped',
      { [JAMBONZ_ENV.secret]: `${SECRET},\u200b\u00a0,${OLD_SECRET}` },
      { secret: [SECRET, OLD_SECRET] },
    ],
    [
      'Basic credentials',
      { [JAMBONZ_ENV.username]: CREDENTIALS.username, [JAMBONZ_ENV.password]: CREDENTIALS.password },
      { basicAuth: CREDENTIALS },
    ],
    [
      'a secret and Basic credentials',
      {
        [JAMBONZ_ENV.secret]: SECRET,
        [JAMBONZ_ENV.username]: CREDENTIALS.username,
        [JAMBONZ_ENV.password]: CREDENTIALS.password,
      },
      { secret: [SECRET], basicAuth: CREDENTIALS },
    ],
  ])('turns %s into module options, without the warning', (_what, env, expected) => {
    const { options, logs } = optionsFor(env);
    expect(options).toEqual(expected);
    expect(logs).not.toContain('WARNING');
  });

  it.each([
    ['nothing set', {}],
    ['only empty values', { [JAMBONZ_ENV.secret]: '', [JAMBONZ_ENV.username]: '', [JAMBONZ_ENV.password]: '' }],
  ])('falls back to the test secret of nestjs-jambonz-auth/testing with a loud warning when %s', (_what, env) => {
    const { options, logs } = optionsFor(env);
    expect(options).toEqual({ secret: TEST_WEBHOOK_SECRET });
    expect(logs).toContain(`warn ${DEV_SECRET_WARNING}`);
    expect(DEV_SECRET_WARNING.split('\n').length).toBeGreaterThan(5);
    expect(DEV_SECRET_WARNING).toContain('TEST_WEBHOOK_SECRET, the test secret of nestjs-jambonz-auth/testing');
    expect(DEV_SECRET_WARNING).toContain('NOT protected');
    expect(DEV_SECRET_WARNING).toContain(`${JAMBONZ_ENV.secret}=<your webhook secret> npm start`);
  });

  it.each([
    ['a comma', ','],
    ['commas and spaces', ' , ,, '],
    ['a space', ' '],
    ['a tab and a line break', '\t\n'],
    ['a zero-width space', '\u200b'],
    ['a byte-order mark and a word joiner', '\ufeff\u2060'],
    ['a no-break space between commas', ',\u00a0,'],
  ])('refuses a secret variable that is set to %s, naming it, instead of falling back', (_what, value) => {
    expect(() => optionsFor({ [JAMBONZ_ENV.secret]: value })).toThrow(
      new RegExp(`^${JAMBONZ_ENV.secret} is set but holds no usable secret, only commas, spaces or invisible characters\\.`),
    );
  });

  it.each([
    ['undefined', 'undefined', 1],
    ['null', 'null', 1],
    ['NULL, padded', '  NULL ', 1],
    ['undefined after a real secret (a rotation template missing its next secret)', `${SECRET},undefined`, 2],
    ['null with a zero-width space', '\u200bnull', 1],
  ])('refuses a secret variable holding %s, which a template writes for a missing value', (_what, value, item) => {
    let thrown: unknown;
    try {
      optionsFor({ [JAMBONZ_ENV.secret]: value, [JAMBONZ_ENV.username]: 'u', [JAMBONZ_ENV.password]: 'p' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    const message = (thrown as Error).message;
    expect(message).toMatch(new RegExp(`^${JAMBONZ_ENV.secret} is set but holds no usable secret: item ${item} reads "`));
    expect(message).not.toContain(SECRET);
  });

  it.each([
    ['without Basic credentials', { [JAMBONZ_ENV.secret]: SECRET }, true],
    ['with Basic credentials', { [JAMBONZ_ENV.username]: 'u', [JAMBONZ_ENV.password]: 'p' }, false],
  ])('says at startup whether GET hooks are refused: %s', (_what, env, refused) => {
    expect(optionsFor(env).logs.includes('GET webhooks will be refused')).toBe(refused);
  });

  it.each([
    ['the username', JAMBONZ_ENV.username],
    ['the password', JAMBONZ_ENV.password],
  ])('refuses %s without the other, naming both variables', (_what, name) => {
    expect(() => optionsFor({ [JAMBONZ_ENV.secret]: SECRET, [name]: 'x' })).toThrow(
      new RegExp(`Set both ${JAMBONZ_ENV.username} and ${JAMBONZ_ENV.password}, or neither: ${name} is set`),
    );
  });
});
