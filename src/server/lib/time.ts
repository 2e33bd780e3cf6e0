/** The clock, injectable so that tests can move time (TOTP steps, locks, expiry). */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

export const isoOrNull = (ms: number | null | undefined): string | null => (ms ? new Date(ms).toISOString() : null);
export const iso = (ms: number): string => new Date(ms).toISOString();
