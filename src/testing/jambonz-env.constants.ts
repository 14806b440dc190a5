/**
 * Names of the environment variables that configure jambonz webhook authentication, one map for
 * every tool that reads them: the sample app and `jambonz-webhook` read these names, so one set
 * of exports configures both, and an app of your own can read the same ones. The values are
 * variable names, never secrets. Frozen.
 */
export const JAMBONZ_ENV = Object.freeze({
  /**
   * `JAMBONZ_WEBHOOK_SECRET`: the account's webhook secret (jambonz portal: Account, Webhook
   * secret), or several separated by commas while rotating it. The sample app accepts every item;
   * `jambonz-webhook` signs with the first, as jambonz signs with one.
   */
  secret: 'JAMBONZ_WEBHOOK_SECRET',
  /** `JAMBONZ_WEBHOOK_USERNAME`: the Basic username set on the jambonz application's call hook; goes with the password. */
  username: 'JAMBONZ_WEBHOOK_USERNAME',
  /** `JAMBONZ_WEBHOOK_PASSWORD`: the Basic password set on the jambonz application's call hook; goes with the username. */
  password: 'JAMBONZ_WEBHOOK_PASSWORD',
  /**
   * `JAMBONZ_STATUS_HOOK_USERNAME`: the Basic username of the call status hook. jambonz sends
   * the call status hook's own credentials, which may differ from the call hook's (every other
   * hook of a call carries the call hook's).
   */
  statusUsername: 'JAMBONZ_STATUS_HOOK_USERNAME',
  /** `JAMBONZ_STATUS_HOOK_PASSWORD`: the Basic password of the call status hook; goes with its username. */
  statusPassword: 'JAMBONZ_STATUS_HOOK_PASSWORD',
  /** `JAMBONZ_WEBHOOK_URL`: where `jambonz-webhook` sends a webhook when not given `--url`. */
  url: 'JAMBONZ_WEBHOOK_URL',
});

/**
 * The secrets in the value of `JAMBONZ_WEBHOOK_SECRET` (`JAMBONZ_ENV.secret`): split at commas,
 * each item trimmed, empty items dropped, so that `a, b,` is two secrets (a rotation: every item
 * is accepted; jambonz signs with one). The sample app and `jambonz-webhook` read it this way.
 *
 * @returns the secrets, possibly none (a value of only commas and spaces, which callers treat as
 *   a mistake rather than as unset); `undefined` when the variable is unset or empty.
 */
export function secretsOfEnv(value: string | undefined): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
