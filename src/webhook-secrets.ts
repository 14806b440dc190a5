import type { LoggerService } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { JambonzAuthError } from './core/index.js';
import type { JambonzSecretResolver } from './jambonz-auth-options.interface.js';
import type { JambonzAuthConfig } from './jambonz-auth-options.validator.js';
import type { WebhookRequest } from './webhook-request.js';

/** Most `account_sid` answers a secret resolver cache holds. */
const RESOLVER_CACHE_ENTRIES = 10_000;

/**
 * The webhook secrets a request may be signed with: the configured ones, or what the secret
 * resolver picks for the request's `account_sid` (cached for `secretResolverCacheTtl` seconds).
 */
export class WebhookSecrets {
  private readonly resolver: JambonzSecretResolver | undefined;
  private readonly cache: LRUCache<string, readonly string[]> | undefined;

  constructor(
    private readonly config: JambonzAuthConfig,
    private readonly logger: LoggerService,
  ) {
    this.resolver = config.secretResolver;
    this.cache =
      this.resolver && config.secretResolverCacheTtl > 0
        ? new LRUCache({ max: RESOLVER_CACHE_ENTRIES, ttl: config.secretResolverCacheTtl * 1000 })
        : undefined;
  }

  /**
   * @param request the request; `request.body` is the parsed (unverified) body.
   * @returns one or more non-empty secrets.
   * @throws JambonzAuthError `no_secret` when the resolver knows no secret for the request;
   *   `secret_resolver_failed` when it throws, rejects or returns something that is not secrets.
   */
  async forRequest(request: WebhookRequest): Promise<readonly string[]> {
    if (!this.resolver) {
      return this.config.secrets;
    }
    const accountSid = accountSidOf(request.body);
    const cached = accountSid === undefined ? undefined : this.cache?.get(accountSid);
    if (cached) {
      return cached;
    }
    let answer: unknown;
    try {
      answer = await this.resolver({ accountSid, body: request.body, request });
    } catch (error) {
      this.logger.error(`The secret resolver failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new JambonzAuthError('secret_resolver_failed');
    }
    const secrets = typeof answer === 'string' ? [answer] : (answer ?? []);
    if (!Array.isArray(secrets) || !secrets.every((s) => typeof s === 'string' && s !== '')) {
      this.logger.error('The secret resolver returned something other than a secret, an array of secrets or undefined.');
      throw new JambonzAuthError('secret_resolver_failed');
    }
    if (secrets.length === 0) {
      throw new JambonzAuthError('no_secret');
    }
    if (accountSid !== undefined) {
      this.cache?.set(accountSid, secrets);
    }
    return secrets;
  }
}

/** `account_sid` of a jambonz webhook body, when it has a non-empty string one. */
export function accountSidOf(body: unknown): string | undefined {
  const sid = typeof body === 'object' && body !== null ? (body as { account_sid?: unknown }).account_sid : undefined;
  return typeof sid === 'string' && sid !== '' ? sid : undefined;
}
