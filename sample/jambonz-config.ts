import { Logger, type LoggerService } from '@nestjs/common';
import type { BasicCredentials, JambonzAuthModuleOptions } from 'nestjs-jambonz-auth';
import { JAMBONZ_ENV, secretsOfEnv, TEST_CREDENTIALS, TEST_WEBHOOK_SECRET } from 'nestjs-jambonz-auth/testing';

/** Reads one variable: `(name) => config.get<string>(name)` in the app, a plain object in tests. */
export type EnvReader = (name: string) => string | undefined;

/**
 * The loud warning logged when the sample runs on the published test values of
 * `nestjs-jambonz-auth/testing` for what is not configured. Names the variables, never a value.
 *
 * @param unset the variables left unset, each with the test value used instead.
 */
export function developmentWarning(unset: readonly string[]): string {
  return [
    'WARNING '.repeat(9).trim(),
    'This app runs on the published test values of nestjs-jambonz-auth/testing for:',
    ...unset.map((what) => `    ${what}`),
    'Anyone can read them: what they protect is NOT protected. Use this only on your own machine.',
    'Set the webhook secret of your jambonz account (portal: Account, "Webhook secret") and the Basic',
    "credentials of your jambonz application's hooks:",
    `    ${JAMBONZ_ENV.secret}=<webhook secret> ${JAMBONZ_ENV.username}=<username> ${JAMBONZ_ENV.password}=<password> npm start`,
    'WARNING '.repeat(9).trim(),
  ].join('\n');
}

/**
 * Turns the environment into `JambonzAuthModule` options:
 * - `JAMBONZ_WEBHOOK_SECRET`: one secret, or several separated by commas (each trimmed, empty
 *   items dropped), all accepted: jambonz replaces a regenerated secret at once while calls in
 *   progress keep signing with the old one, so rotating without failed calls needs both for a while;
 * - `JAMBONZ_WEBHOOK_USERNAME` and `JAMBONZ_WEBHOOK_PASSWORD`: the call hook's Basic credentials,
 *   which jambonz sends with every hook of a call (and the WebSocket endpoints take);
 * - `JAMBONZ_STATUS_HOOK_USERNAME` and `JAMBONZ_STATUS_HOOK_PASSWORD`: the call status hook's
 *   own credentials, the named set `status`; unset, the status hook takes the call hook's.
 *
 * What is unset (or empty) runs on the published test values, `TEST_WEBHOOK_SECRET` and
 * `TEST_CREDENTIALS`, which `jambonz-webhook` sends by default, with a loud warning
 * ({@link developmentWarning}). The module checks the values themselves: a secret reading
 * `undefined`, say, stops the app.
 *
 * @param env reads a variable; an empty value counts as unset.
 * @param logger where the summary (or the warning) goes; it never receives a secret or password.
 * @throws Error naming the variable when `JAMBONZ_WEBHOOK_SECRET` is set but holds no secret (only
 *   commas and spaces); naming both variables when only one of a username and password is set.
 */
export function jambonzAuthOptionsFromEnv(
  env: EnvReader,
  logger: Pick<LoggerService, 'log' | 'warn'> = new Logger('JambonzConfig'),
): JambonzAuthModuleOptions {
  const secrets = webhookSecrets(env(JAMBONZ_ENV.secret));
  const callHook = credentials(env, JAMBONZ_ENV.username, JAMBONZ_ENV.password);
  const statusHook = credentials(env, JAMBONZ_ENV.statusUsername, JAMBONZ_ENV.statusPassword);
  const unset = [
    ...(secrets ? [] : [`${JAMBONZ_ENV.secret} (signatures: TEST_WEBHOOK_SECRET)`]),
    ...(callHook ? [] : [`${JAMBONZ_ENV.username}/${JAMBONZ_ENV.password} (Basic credentials: TEST_CREDENTIALS)`]),
  ];
  if (unset.length > 0) logger.warn(developmentWarning(unset));
  const rotation = secrets && secrets.length > 1 ? ` (${secrets.length} secrets accepted: rotation)` : '';
  logger.log(
    `Webhooks must carry a signature${rotation} and Basic credentials; the call status hook takes ` +
      (statusHook ? `its own (${JAMBONZ_ENV.statusUsername}).` : "the call hook's."),
  );
  const basicAuth = callHook ?? TEST_CREDENTIALS;
  return { secret: secrets ?? TEST_WEBHOOK_SECRET, basicAuth, namedCredentials: { status: statusHook ?? basicAuth } };
}

/**
 * The secrets in the value of `JAMBONZ_WEBHOOK_SECRET`: split at commas, each item trimmed, empty
 * items dropped, so that `a, b,` is two secrets; `undefined` when unset or empty.
 *
 * A value that is set but leaves no secret (`,`, spaces) is a mistake, not a wish for the test
 * secret: running on a published secret while the operator believes one is configured would
 * leave the app unprotected.
 *
 * @throws Error naming the variable; the message quotes no secret.
 */
function webhookSecrets(value: string | undefined): string[] | undefined {
  const secrets = secretsOfEnv(value);
  if (secrets?.length === 0) {
    throw new Error(
      `${JAMBONZ_ENV.secret} is set but holds no secret, only commas or spaces. Set the webhook secret of your jambonz ` +
        'account (several separated by commas), or unset the variable to run on the test secret.',
    );
  }
  return secrets;
}

function credentials(env: EnvReader, usernameVariable: string, passwordVariable: string): BasicCredentials | undefined {
  const username = env(usernameVariable) || undefined;
  const password = env(passwordVariable) || undefined;
  if (username && password) return { username, password };
  if (username || password) {
    const [set, unset] = username ? [usernameVariable, passwordVariable] : [passwordVariable, usernameVariable];
    throw new Error(`Set both ${usernameVariable} and ${passwordVariable}, or neither: ${set} is set but ${unset} is not.`);
  }
  return undefined;
}
