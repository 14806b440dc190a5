/** The current Unix time in seconds, with a fractional part. */
export function nowInSeconds(): number {
  return Date.now() / 1000;
}
