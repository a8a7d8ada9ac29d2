/** The per-address AUTH failure budget over a clock the test moves (the SMTP side is in test/integration/auth-floods.test.ts). */
import { describe, expect, it } from 'vitest';
import { AuthThrottle } from '../../server/core/auth-throttle.js';

describe('AuthThrottle', () => {
  it('refuses after `limit` failures within the window, per address, until the oldest failure leaves the window', () => {
    let now = 1_000;
    const throttle = new AuthThrottle(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(throttle.begin('10.0.0.1')).toBe(true);
      throttle.end('10.0.0.1', false);
      now += 10_000;
    }
    expect(throttle.begin('10.0.0.1')).toBe(false);
    expect(throttle.begin('10.0.0.2')).toBe(true);
    now = 1_000 + 60_000; // the first failure (at 1,000) is now 60 s old
    expect(throttle.begin('10.0.0.1')).toBe(true);
    throttle.end('10.0.0.1', true); // a success does not clear the other two failures
    expect(throttle.begin('10.0.0.1')).toBe(true);
    throttle.end('10.0.0.1', false);
    expect(throttle.begin('10.0.0.1')).toBe(false);
  });

  it('checks in flight count against the budget, so a parallel burst is cut at the limit', () => {
    const throttle = new AuthThrottle(5, 60_000, () => 0);
    const started = Array.from({ length: 40 }, () => throttle.begin('10.0.0.1'));
    expect(started.filter(Boolean)).toHaveLength(5);
    for (let i = 0; i < 5; i++) throttle.end('10.0.0.1', true);
    expect(throttle.begin('10.0.0.1')).toBe(true);
  });
});
