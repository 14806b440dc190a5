import { JambonzAuthModule } from 'nestjs-jambonz-auth';
import { JAMBONZ_ENV, TEST_CREDENTIALS, TEST_WEBHOOK_SECRET } from 'nestjs-jambonz-auth/testing';
import { createApp } from '../test/support/app.js';
import { CapturedLogs } from '../test/support/captured-logs.js';
import { CallController } from './call.controller.js';
import { developmentWarning, jambonzAuthOptionsFromEnv } from './jambonz-config.js';

const SECRET = 'wh_secret_sampleConfigSpec001';
const OLD_SECRET = 'wh_secret_sampleConfigSpec000';
const CALL_HOOK = { username: 'jambonz', password: 'p:ss wörd' };
const STATUS_HOOK = { username: 'status', password: 'route:pass' };
const CREDENTIAL_ENV = { [JAMBONZ_ENV.username]: CALL_HOOK.username, [JAMBONZ_ENV.password]: CALL_HOOK.password };
const STATUS_ENV = { [JAMBONZ_ENV.statusUsername]: STATUS_HOOK.username, [JAMBONZ_ENV.statusPassword]: STATUS_HOOK.password };

/** Runs the sample's env-to-options mapping on a plain object, with a logger that keeps the lines. */
function optionsFor(env: Record<string, string>) {
  const logs = new CapturedLogs();
  return { options: jambonzAuthOptionsFromEnv((name) => env[name], logs), logs: logs.lines.join('\n') };
}

describe('jambonzAuthOptionsFromEnv', () => {
  it.each([
    [
      'a secret and the call hook credentials: the status hook takes them too',
      { [JAMBONZ_ENV.secret]: SECRET, ...CREDENTIAL_ENV },
      { secret: [SECRET], basicAuth: CALL_HOOK, namedCredentials: { status: CALL_HOOK } },
      "the call status hook takes the call hook's.",
    ],
    [
      'a rotation list, trimmed, empties dropped, and the status hook credentials',
      { [JAMBONZ_ENV.secret]: ` ${SECRET} ,, ${OLD_SECRET},`, ...CREDENTIAL_ENV, ...STATUS_ENV },
      { secret: [SECRET, OLD_SECRET], basicAuth: CALL_HOOK, namedCredentials: { status: STATUS_HOOK } },
      'the call status hook takes its own (JAMBONZ_STATUS_HOOK_USERNAME).',
    ],
  ])('turns %s into module options, without the warning', (_what, env, expected, summary) => {
    const { options, logs } = optionsFor(env);
    expect(options).toEqual(expected);
    expect(logs).not.toContain('WARNING');
    expect(logs).toContain(summary);
  });

  it.each([
    [
      'nothing set',
      {},
      [
        `${JAMBONZ_ENV.secret} (signatures: TEST_WEBHOOK_SECRET)`,
        'JAMBONZ_WEBHOOK_USERNAME/JAMBONZ_WEBHOOK_PASSWORD (Basic credentials: TEST_CREDENTIALS)',
      ],
    ],
    [
      'only empty values',
      { [JAMBONZ_ENV.secret]: '', [JAMBONZ_ENV.username]: '', [JAMBONZ_ENV.password]: '' },
      [
        `${JAMBONZ_ENV.secret} (signatures: TEST_WEBHOOK_SECRET)`,
        'JAMBONZ_WEBHOOK_USERNAME/JAMBONZ_WEBHOOK_PASSWORD (Basic credentials: TEST_CREDENTIALS)',
      ],
    ],
    [
      'only the secret',
      { [JAMBONZ_ENV.secret]: SECRET },
      ['JAMBONZ_WEBHOOK_USERNAME/JAMBONZ_WEBHOOK_PASSWORD (Basic credentials: TEST_CREDENTIALS)'],
    ],
  ])(
    'runs on the published test values, with a loud warning naming each, when %s',
    (_what, env: Record<string, string>, unset) => {
      const { options, logs } = optionsFor(env);
      expect(options.basicAuth).toBe(TEST_CREDENTIALS);
      expect(options.namedCredentials).toEqual({ status: TEST_CREDENTIALS });
      expect(options.secret).toEqual(env[JAMBONZ_ENV.secret] ? [SECRET] : TEST_WEBHOOK_SECRET);
      expect(logs).toContain(`warn ${developmentWarning(unset)}`);
      const warning = developmentWarning(unset);
      expect(warning).toContain('NOT protected');
      expect(warning).toContain(`${JAMBONZ_ENV.secret}=<webhook secret> ${JAMBONZ_ENV.username}=<username>`);
      expect(warning).not.toContain(TEST_WEBHOOK_SECRET);
      expect(warning).not.toContain(TEST_CREDENTIALS.password);
    },
  );

  it.each([
    ['a comma', ','],
    ['commas and spaces', ' , ,, '],
    ['a space', ' '],
    ['a tab and a line break', '\t\n'],
  ])('refuses a secret variable that is set to %s, naming it, instead of falling back', (_what, value) => {
    expect(() => optionsFor({ [JAMBONZ_ENV.secret]: value })).toThrow(
      new RegExp(`^${JAMBONZ_ENV.secret} is set but holds no secret, only commas or spaces\\.`),
    );
  });

  it.each([
    ['undefined', 'undefined', /options\.secret\[0\] is 'undefined', 'null', an unexpanded variable reference or the like/],
    ['a rotation template missing its next secret', `${SECRET},undefined`, /options\.secret\[1\] is 'undefined'/],
    [
      'null with a zero-width space',
      '\u200bnull',
      /options\.secret\[0\] is 'undefined', 'null', an unexpanded variable reference or the like/,
    ],
    ['a zero-width space', '\u200b', /options\.secret\[0\] holds only whitespace or invisible characters/],
  ])('passes a secret variable holding %s to the module, which refuses it at bootstrap', async (_what, value, message) => {
    const { options } = optionsFor({ [JAMBONZ_ENV.secret]: value, ...CREDENTIAL_ENV });
    const attempt = createApp('express', 'raw-body', [JambonzAuthModule.forRoot(options)], [CallController]);
    await expect(attempt).rejects.toThrow(message);
  });

  it.each([
    ['the username', JAMBONZ_ENV.username, JAMBONZ_ENV.username, JAMBONZ_ENV.password],
    ['the password', JAMBONZ_ENV.password, JAMBONZ_ENV.username, JAMBONZ_ENV.password],
    ['the status hook username', JAMBONZ_ENV.statusUsername, JAMBONZ_ENV.statusUsername, JAMBONZ_ENV.statusPassword],
  ])('refuses %s without the other, naming both variables', (_what, name, user, pass) => {
    expect(() => optionsFor({ [JAMBONZ_ENV.secret]: SECRET, [name]: 'x' })).toThrow(
      new RegExp(`Set both ${user} and ${pass}, or neither: ${name} is set`),
    );
  });
});
