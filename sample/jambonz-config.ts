import { Logger, type LoggerService } from '@nestjs/common';
import type { BasicCredentials, JambonzAuthModuleOptions } from 'nestjs-jambonz-auth';
import { JAMBONZ_ENV, TEST_WEBHOOK_SECRET } from 'nestjs-jambonz-auth/testing';

/** Reads one variable: `(name) => config.get<string>(name)` in the app, a plain object in tests. */
export type EnvReader = (name: string) => string | undefined;

/**
 * The loud warning logged when the sample runs on `TEST_WEBHOOK_SECRET` because nothing is
 * configured. Names no secret.
 */
export const DEV_SECRET_WARNING = [
  'WARNING '.repeat(9).trim(),
  `Neither ${JAMBONZ_ENV.secret} nor ${JAMBONZ_ENV.username}/${JAMBONZ_ENV.password} is set, so this app accepts`,
  'webhooks signed with TEST_WEBHOOK_SECRET, the test secret of nestjs-jambonz-auth/testing. That secret is',
  'published for anyone to read: the webhooks of this app are NOT protected. Use it only on your own machine.',
  'To protect them, set the webhook secret of your jambonz account (portal: Account, "Webhook secret"):',
  `    ${JAMBONZ_ENV.secret}=<your webhook secret> npm start`,
  'and, if your jambonz application hooks have a username and password, set both of:',
  `    ${JAMBONZ_ENV.username}=<username> ${JAMBONZ_ENV.password}=<password>`,
  'WARNING '.repeat(9).trim(),
].join('\n');

/**
 * Turns the environment into `JambonzAuthModule` options:
 * - `JAMBONZ_WEBHOOK_SECRET`: one secret, or several separated by commas (each trimmed, empty
 *   items dropped), all accepted: jambonz replaces a regenerated secret at once while calls in
 *   progress keep signing with the old one, so rotating without failed calls needs both for a while;
 * - `JAMBONZ_WEBHOOK_USERNAME` and `JAMBONZ_WEBHOOK_PASSWORD`: Basic credentials, both or neither
 *   (jambonz sends them only when the hook has both);
 * - none of them (unset or empty): `TEST_WEBHOOK_SECRET` of `nestjs-jambonz-auth/testing`, the
 *   secret `jambonz-webhook` signs with by default, with {@link DEV_SECRET_WARNING}.
 *
 * With a secret and credentials, the module requires both headers on POST, which is what jambonz
 * sends; GET hooks carry no verifiable signature and need the credentials.
 *
 * @param env reads a variable; an empty value counts as unset.
 * @param logger where the summary (or the warning) goes; it never receives a secret or password.
 * @throws Error naming the variable when `JAMBONZ_WEBHOOK_SECRET` is set but holds no usable
 *   secret (see {@link webhookSecrets}); naming both variables when only one of username and
 *   password is set.
 */
export function jambonzAuthOptionsFromEnv(
  env: EnvReader,
  logger: Pick<LoggerService, 'log' | 'warn'> = new Logger('JambonzConfig'),
): JambonzAuthModuleOptions {
  const secrets = webhookSecrets(env(JAMBONZ_ENV.secret));
  const basicAuth = basicCredentials(env);
  const testSecretOnly = secrets.length === 0 && !basicAuth;
  if (testSecretOnly) {
    logger.warn(DEV_SECRET_WARNING);
  } else {
    const signature = secrets.length > 1 ? `a signature (${secrets.length} secrets accepted: rotation)` : 'a signature';
    logger.log(
      `Webhooks must carry ${[...(secrets.length > 0 ? [signature] : []), ...(basicAuth ? ['Basic credentials'] : [])].join(' and ')}.`,
    );
  }
  if (!basicAuth) {
    logger.log(
      `GET webhooks will be refused: a GET carries no verifiable signature. Set ${JAMBONZ_ENV.username} and ` +
        `${JAMBONZ_ENV.password} to accept GET hooks with Basic credentials.`,
    );
  }
  return testSecretOnly
    ? { secret: TEST_WEBHOOK_SECRET }
    : { ...(secrets.length > 0 && { secret: secrets }), ...(basicAuth && { basicAuth }) };
}

/** White space, control and format characters (zero-width space, joiners, BOM...): nothing a reader sees. */
const INVISIBLE = /^[\s\p{Cc}\p{Cf}]*$/u;

/** What a template or a shell writes for a missing value; never a real secret. */
const MISSING_VALUE_TEXT = /^(?:undefined|null)$/i;

/**
 * The secrets in the value of `JAMBONZ_WEBHOOK_SECRET`: split at commas, each item trimmed, empty
 * items (and items of only invisible characters) dropped, so that `a, b,` is two secrets. Unset
 * or empty means none: the caller falls back to the test secret.
 *
 * A value that is set but leaves no secret (`,`, spaces, a zero-width space) is a mistake, not
 * a wish for the fallback: running on the public test secret while the operator believes a secret
 * is configured would leave the app unprotected. Same for an item reading `undefined` or `null`,
 * what a template writes for a missing value: as a secret, anyone could sign with it.
 *
 * @throws Error naming the variable in both cases; the message quotes no secret.
 */
function webhookSecrets(value: string | undefined): string[] {
  if (value === undefined || value === '') return [];
  const items = value.split(',').map((item) => item.trim());
  const missing = items.findIndex((item) => MISSING_VALUE_TEXT.test(item.replace(/[\p{Cc}\p{Cf}]/gu, '')));
  if (missing >= 0) {
    throw new Error(
      `${JAMBONZ_ENV.secret} is set but holds no usable secret: item ${missing + 1} reads "${items[missing]}", which is what a ` +
        'template or a shell writes for a missing value. Set the webhook secret of your jambonz account.',
    );
  }
  const secrets = items.filter((item) => !INVISIBLE.test(item));
  if (secrets.length === 0) {
    throw new Error(
      `${JAMBONZ_ENV.secret} is set but holds no usable secret, only commas, spaces or invisible characters. Set the ` +
        'webhook secret of your jambonz account (several separated by commas), or unset the variable to run on the test secret.',
    );
  }
  return secrets;
}

function basicCredentials(env: EnvReader): BasicCredentials | undefined {
  const username = env(JAMBONZ_ENV.username) || undefined;
  const password = env(JAMBONZ_ENV.password) || undefined;
  if (username && password) return { username, password };
  if (username || password) {
    const [set, unset] = username ? [JAMBONZ_ENV.username, JAMBONZ_ENV.password] : [JAMBONZ_ENV.password, JAMBONZ_ENV.username];
    throw new Error(
      `Set both ${JAMBONZ_ENV.username} and ${JAMBONZ_ENV.password}, or neither: ${set} is set but ${unset} is not.`,
    );
  }
  return undefined;
}
