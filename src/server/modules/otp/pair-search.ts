/** Why two OTPs entered for a resynchronisation were refused (SPEC §4). */
export type PairFailureReason = 'order' | 'not_consecutive' | 'not_found';

export type PairScan = { ok: true; position: number } | { ok: false; reason: PairFailureReason };

/**
 * Finds the first position p in first..last with isFirst(otpAt(p)) and
 * isSecond(otpAt(p + 1)), computing each OTP of first..last + 1 exactly once
 * (a resync window is thousands of HMACs). Without a match, the reason tells
 * the operator what to do next: 'order' (entered swapped: type them again in
 * order), 'not_consecutive' (both exist but apart: take two OTPs in a row),
 * 'not_found' (not this token, or beyond the window).
 * `last + 1` must be a safe integer.
 */
export function scanForPair<Otp>(
  otpAt: (position: number) => Otp,
  first: number,
  last: number,
  isFirst: (otp: Otp) => boolean,
  isSecond: (otp: Otp) => boolean,
): PairScan {
  let previousIsFirst = false;
  let previousIsSecond = false;
  let swapped = false;
  let seenFirst = false;
  let seenSecond = false;
  for (let position = first; position <= last + 1; position++) {
    const otp = otpAt(position);
    const matchesFirst = isFirst(otp);
    const matchesSecond = isSecond(otp);
    if (previousIsFirst && matchesSecond) return { ok: true, position: position - 1 };
    if (previousIsSecond && matchesFirst) swapped = true;
    seenFirst ||= matchesFirst;
    seenSecond ||= matchesSecond;
    previousIsFirst = matchesFirst;
    previousIsSecond = matchesSecond;
  }
  if (swapped) return { ok: false, reason: 'order' };
  return { ok: false, reason: seenFirst && seenSecond ? 'not_consecutive' : 'not_found' };
}
