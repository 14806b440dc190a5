import { nowInSeconds } from './clock.js';

describe('nowInSeconds', () => {
  const realNow = Date.now;
  afterEach(() => {
    Date.now = realNow;
  });

  // Tolerance checks compare it with `t` in seconds: milliseconds, or rounding, would shift every check.
  it('is the system clock in seconds, fraction kept', () => {
    Date.now = () => 1_715_000_000_250;
    expect(nowInSeconds()).toBe(1_715_000_000.25);
  });
});
