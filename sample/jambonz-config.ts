import { Logger, type LoggerService } from '@nestjs/common';
import type { BasicCredentials, JambonzAuthModuleOptions } from 'nestjs-jambonz-auth';

/** The environment variables the sample reads (the `jambonz-webhook` CLI reads the same names). */
export const SAMPLE_ENV = Object.freeze({
  /** The account's webhook secret, or several separated by commas while rotating it. */
  secret: 'JAMBONZ_WEBHOOK_SECRET',
  /** Basic username set on the jambonz application's hooks; needs the password too. */
  username: 'JAMBONZ_WEBHOOK_USERNAME',
  /** Basic password set on the jambonz application's hooks; needs the username too. */
  password: 'JAMBONZ_WEBHOOK_PASSWORD',
});

/**
 * The development webhook secret the sample falls back to when nothing is configured, so that
 * `npm start` and `npm run webhook` work together out of the box. It is in the source for anyone
 * to read: an app using it is not protected. `src/cli/defaults.ts` holds the same value for the
 * CLI (the sample may use only the package's public API); a test keeps the two equal.
 */
export const SAMPLE_DEV_SECRET = 'wh_secret_sampleDevOnly0000000000';

/** Reads one variable: `(name) => config.get<string>(name)` in the app, a plain object in tests. */
export type EnvReader = (name: string) => string | undefined;

/** The loud warning logged when the sample runs on {@link SAMPLE_DEV_SECRET}. Names no secret. */
export const DEV_SECRET_WARNING = [
  'WARNING '.repeat(9).trim(),
  `Neither ${SAMPLE_ENV.secret} nor ${SAMPLE_ENV.username}/${SAMPLE_ENV.password} is set, so this app accepts`,
  'webhooks signed with its built-in DEVELOPMENT secret. That secret is in the source code for anyone to read:',
  'the webhooks of this app are NOT protected. Use it only on your own machine.',
  'To protect them, set the webhook secret of your jambonz account (portal: Account, "Webhook secret"):',
  `    ${SAMPLE_ENV.secret}=<your webhook secret> npm start`,
  'and, if your jambonz application hooks have a username and password, set both of:',
  `    ${SAMPLE_ENV.username}=<username> ${SAMPLE_ENV.password}=<password>`,
  'WARNING '.repeat(9).trim(),
].join('\n');

/**
 * Turns the environment into `JambonzAuthModule` options:
 * - `JAMBONZ_WEBHOOK_SECRET`: one secret, or several separated by commas (each trimmed, empty
 *   items dropped), all accepted: jambonz replaces a regenerated secret at once while calls in
 *   progress keep signing with the old one, so rotating without failed calls needs both for a while;
 * - `JAMBONZ_WEBHOOK_USERNAME` and `JAMBONZ_WEBHOOK_PASSWORD`: Basic credentials, both or neither
 *   (jambonz sends them only when the hook has both);
 * - none of them: {@link SAMPLE_DEV_SECRET}, with {@link DEV_SECRET_WARNING}.
 *
 * With a secret and credentials, the module requires both headers on POST, which is what jambonz
 * sends; GET hooks carry no verifiable signature and need the credentials.
 *
 * @param env reads a variable; an empty value counts as unset.
 * @param logger where the summary (or the warning) goes; it never receives a secret or password.
 * @throws Error naming both variables when only one of username and password is set.
 */
export function jambonzAuthOptionsFromEnv(
  env: EnvReader,
  logger: Pick<LoggerService, 'log' | 'warn'> = new Logger('JambonzConfig'),
): JambonzAuthModuleOptions {
  const secrets = (env(SAMPLE_ENV.secret) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const basicAuth = basicCredentials(env);
  const devSecretOnly = secrets.length === 0 && !basicAuth;
  if (devSecretOnly) {
    logger.warn(DEV_SECRET_WARNING);
  } else {
    const signature = secrets.length > 1 ? `a signature (${secrets.length} secrets accepted: rotation)` : 'a signature';
    logger.log(
      `Webhooks must carry ${[...(secrets.length > 0 ? [signature] : []), ...(basicAuth ? ['Basic credentials'] : [])].join(' and ')}.`,
    );
  }
  if (!basicAuth) {
    logger.log(
      `GET webhooks will be refused: a GET carries no verifiable signature. Set ${SAMPLE_ENV.username} and ` +
        `${SAMPLE_ENV.password} to accept GET hooks with Basic credentials.`,
    );
  }
  return devSecretOnly
    ? { secret: SAMPLE_DEV_SECRET }
    : { ...(secrets.length > 0 && { secret: secrets }), ...(basicAuth && { basicAuth }) };
}

function basicCredentials(env: EnvReader): BasicCredentials | undefined {
  const username = env(SAMPLE_ENV.username) || undefined;
  const password = env(SAMPLE_ENV.password) || undefined;
  if (username && password) return { username, password };
  if (username || password) {
    const [set, unset] = username ? [SAMPLE_ENV.username, SAMPLE_ENV.password] : [SAMPLE_ENV.password, SAMPLE_ENV.username];
    throw new Error(`Set both ${SAMPLE_ENV.username} and ${SAMPLE_ENV.password}, or neither: ${set} is set but ${unset} is not.`);
  }
  return undefined;
}
