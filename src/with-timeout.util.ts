/**
 * Waits for `operation`, but no longer than `seconds`: an application callback (a secret
 * resolver, a replay store) that never answers must not hold a request forever.
 *
 * @param label says what did not answer, in the rejection's message.
 * @returns what `operation` resolves to.
 * @throws (rejects with) what `operation` rejects with, or an `Error` "no answer within N s"
 *   when the time runs out first.
 */
export function withTimeout<T>(operation: T | Promise<T>, seconds: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${seconds} s (${label})`)), seconds * 1000);
  });
  return Promise.race([Promise.resolve(operation), timeout]).finally(() => clearTimeout(timer));
}
