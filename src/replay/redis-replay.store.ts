import { CONSUMED, type ReplayClaimResult, type ReplayStore } from './replay-store.interface.js';

/**
 * The part of an ioredis client (v5 or v6: `Redis` or `Cluster`) that {@link RedisReplayStore}
 * uses. Other clients fit if they offer the same `eval` and `set` signatures.
 */
export interface RedisReplayClient {
  /** Runs a Lua script (Redis `EVAL`): claim, renew and release are scripts, so they are atomic. */
  eval(script: string, numberOfKeys: number, ...args: Array<string | number>): Promise<unknown>;
  /** Redis `SET key value PX milliseconds`: marks a signature consumed, with its expiry. */
  set(key: string, value: string, mode: 'PX', milliseconds: number): Promise<unknown>;
}

// Claim in one round trip and atomically: SET NX alone cannot tell "in flight" from "consumed".
const CLAIM = `
local held = redis.call('GET', KEYS[1])
if not held then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 'claimed'
end
if held == '${CONSUMED}' then return 'consumed' end
return 'in-flight'`;

// Only the lease's owner renews or releases it, and a consumed key is never touched, whatever the token.
const RENEW = `
if ARGV[1] ~= '${CONSUMED}' and redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE = `
if ARGV[1] ~= '${CONSUMED}' and redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * A {@link ReplayStore} on Redis, shared by every instance of the application, through the
 * application's own ioredis client (this package does not open connections). Keys expire on
 * their own (`PX`), so Redis holds at most the signatures of one tolerance window plus jambonz's
 * retry window. Each request costs one round trip to claim and one to consume or release, plus
 * one per lease renewal while a slow request runs.
 *
 * ```ts
 * replay: { store: new RedisReplayStore(new Redis(process.env.REDIS_URL)) }
 * ```
 */
export class RedisReplayStore implements ReplayStore {
  /**
   * @param client an ioredis `Redis` or `Cluster` (anything with its `eval` and `set`).
   * @param prefix prepended to every key. Default `jambonz:replay:`.
   * @throws TypeError when `client` has no `eval` or `set` method.
   */
  constructor(
    private readonly client: RedisReplayClient,
    private readonly prefix = 'jambonz:replay:',
  ) {
    if (!client || typeof client.eval !== 'function' || typeof client.set !== 'function') {
      throw new TypeError('RedisReplayStore: client must be an ioredis client (with eval and set)');
    }
  }

  /** @throws whatever the client throws when Redis cannot answer. */
  async claim(key: string, token: string, leaseMs: number): Promise<ReplayClaimResult> {
    const result = await this.client.eval(CLAIM, 1, this.prefix + key, token, Math.ceil(leaseMs));
    if (result !== 'claimed' && result !== 'in-flight' && result !== 'consumed') {
      throw new Error(`RedisReplayStore: unexpected answer from the claim script: ${String(result)}`);
    }
    return result;
  }

  /** @throws whatever the client throws when Redis cannot answer. */
  async renew(key: string, token: string, leaseMs: number): Promise<void> {
    await this.client.eval(RENEW, 1, this.prefix + key, token, Math.ceil(leaseMs));
  }

  /** @throws whatever the client throws when Redis cannot answer. */
  async consume(key: string, ttlMs: number): Promise<void> {
    await this.client.set(this.prefix + key, CONSUMED, 'PX', Math.ceil(ttlMs));
  }

  /** @throws whatever the client throws when Redis cannot answer. */
  async release(key: string, token: string): Promise<void> {
    await this.client.eval(RELEASE, 1, this.prefix + key, token);
  }
}
