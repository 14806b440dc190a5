import type { LoggerService } from '@nestjs/common';
import { JambonzAuthError } from './core/index.js';
import { webhookSecretProblem, type WebhookSecretRules } from './core/webhook-secret.js';
import { ExpiringCache } from './expiring.cache.js';
import type { JambonzSecretResolver } from './jambonz-auth-options.interface.js';
import { SECRET_PROBLEMS } from './jambonz-auth-options.rules.js';
import { describeError, logSafe } from './log-safe.util.js';
import { withTimeout } from './with-timeout.util.js';
import type { WebhookRequest } from './webhook-request.interface.js';

/** Most `account_sid` answers the cache holds. */
export const CACHED_ACCOUNTS = 10_000;
/** Most accounts whose bad resolver answer is remembered as already reported. */
const REPORTED_ACCOUNTS = 1_000;
/** How long a reported bad answer stays reported before it is logged again, in ms. */
const REPORT_AGAIN_AFTER_MS = 60 * 60 * 1000;

/** How a {@link WebhookSecretsResolver} runs the application's resolver. */
export interface SecretResolverSettings {
  /** Seconds an answer for one `account_sid` is reused (0: not cached). */
  readonly cacheTtl: number;
  /** Seconds the resolver may take. */
  readonly timeout: number;
  /** The rules its answers must obey, as configured secrets do. */
  readonly rules: WebhookSecretRules;
}

/**
 * Runs the application's `secretResolver` for a request: caches its answers per `account_sid`,
 * bounds its time, and holds its answers to the rules of a configured secret. Whatever goes
 * wrong is the operator's to fix, so it is logged at error level (neutralised, never with a
 * secret) and the request is refused; nothing becomes a 5xx.
 */
export class WebhookSecretsResolver {
  private readonly cache: ExpiringCache<string, readonly string[]> | undefined;
  private readonly reported = new ExpiringCache<string, true>(REPORTED_ACCOUNTS);

  constructor(
    private readonly resolver: JambonzSecretResolver,
    private readonly settings: SecretResolverSettings,
    private readonly logger: LoggerService,
  ) {
    this.cache = settings.cacheTtl > 0 ? new ExpiringCache(CACHED_ACCOUNTS) : undefined;
  }

  /**
   * @param request the request.
   * @param body its parsed, not yet verified body (default `request.body`; what the module parsed
   *   from the stream).
   * @returns one or more secrets that obey the rules.
   * @throws JambonzAuthError `no_secret` when the resolver knows no secret for the request;
   *   `secret_resolver_failed` when it throws, rejects, takes longer than the timeout, or answers
   *   something that is not secrets or breaks a secret's rules.
   */
  async forRequest(request: WebhookRequest, body: unknown = request.body): Promise<readonly string[]> {
    const accountSid = accountSidOf(body);
    const cached = accountSid === undefined ? undefined : this.cache?.get(accountSid);
    if (cached) {
      return cached;
    }
    const account = accountSid === undefined ? 'no account_sid' : `account ${logSafe(accountSid)}`;
    let answer: unknown;
    try {
      answer = await withTimeout(this.resolver({ accountSid, body, request }), this.settings.timeout, 'secretResolverTimeout');
    } catch (error) {
      // Forged requests reach the resolver too: once per account, so that they cannot flood the log.
      this.reportOnce(accountSid, `The secret resolver failed for ${account}: ${describeError(error)}`);
      throw new JambonzAuthError('secret_resolver_failed');
    }
    let secrets: string[];
    try {
      secrets = this.secretsOf(answer);
    } catch (error) {
      // Whatever the answer does when read (a Proxy, a getter that throws) is the resolver's failure.
      this.reportOnce(accountSid, `The secret resolver answered, for ${account}, ${describeProblem(error)}`);
      throw new JambonzAuthError('secret_resolver_failed', 'an unusable answer');
    }
    if (secrets.length === 0) {
      throw new JambonzAuthError('no_secret');
    }
    if (accountSid !== undefined) {
      this.cache?.set(accountSid, secrets, this.settings.cacheTtl * 1000);
    }
    return secrets;
  }

  /**
   * The resolver's answer as a plain array of secrets (a copy: holes become `undefined` and are
   * refused, nothing the answer does later matters).
   * @throws UnusableAnswer saying what is wrong with it, never with a secret.
   */
  private secretsOf(answer: unknown): string[] {
    const list = typeof answer === 'string' ? [answer] : (answer ?? []);
    if (!Array.isArray(list)) {
      throw new UnusableAnswer('something other than a secret, an array of secrets or undefined');
    }
    const secrets = Array.from(list as unknown[]);
    for (const secret of secrets) {
      const problem = webhookSecretProblem(secret, this.settings.rules);
      if (problem !== undefined) {
        throw new UnusableAnswer(
          `a secret that ${SECRET_PROBLEMS[problem].what}; that account's webhooks are refused until the resolver answers a usable secret`,
        );
      }
    }
    return secrets as string[];
  }

  /**
   * Logs an operator error (a failing resolver, an unusable answer) once per account, and again
   * after an hour, never with a secret.
   */
  private reportOnce(accountSid: string | undefined, message: string): void {
    const key = accountSid ?? '';
    if (this.reported.get(key)) return;
    this.reported.set(key, true, REPORT_AGAIN_AFTER_MS);
    this.logger.error(message);
  }
}

/** What is wrong with a secret resolver's answer, in words that never quote it. */
class UnusableAnswer extends Error {}

function describeProblem(error: unknown): string {
  return error instanceof UnusableAnswer ? `${error.message}.` : `an answer that cannot be read (${describeError(error)}).`;
}

/** `account_sid` of a jambonz webhook body, when it has a non-empty string one. */
export function accountSidOf(body: unknown): string | undefined {
  const sid = typeof body === 'object' && body !== null ? (body as { account_sid?: unknown }).account_sid : undefined;
  return typeof sid === 'string' && sid !== '' ? sid : undefined;
}
