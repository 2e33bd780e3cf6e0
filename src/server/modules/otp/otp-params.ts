/** Parameters shared by the HMAC-based OTP algorithms (RFC 4226, RFC 6238). */
export const HASH_ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

export const OTP_DIGITS = [6, 8] as const;
export type OtpDigits = (typeof OTP_DIGITS)[number];

export const TOTP_PERIODS = [30, 60] as const;
export type TotpPeriod = (typeof TOTP_PERIODS)[number];

export interface HmacOtpParams {
  algorithm: HashAlgorithm;
  digits: OtpDigits;
}
