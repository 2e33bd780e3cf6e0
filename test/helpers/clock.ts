import type { Clock } from '../../src/server/lib/time.js';

/** A clock that tests set and move (TOTP steps, locks, session expiry). */
export class TestClock implements Clock {
  constructor(private current = Date.now()) {}
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
