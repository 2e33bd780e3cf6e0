/** The pure OTP engine: HOTP (RFC 4226), TOTP (RFC 6238), Yubico OTP, and their encodings. No I/O. */
export { HASH_ALGORITHMS, OTP_DIGITS, TOTP_PERIODS } from './otp-params.js';
export type { HashAlgorithm, HmacOtpParams, OtpDigits, TotpPeriod } from './otp-params.js';
export { decodeBase32, decodeHex, encodeBase32 } from './base32.js';
export { bytesEqual } from './constant-time.js';
export { findHotp, findHotpPair, hotp, hotpGenerator, isWellFormedOtp, MAX_COUNTER } from './hotp.js';
export type { HotpPairResult } from './hotp.js';
export { findTotp, findTotpPair, timeStep, totp } from './totp.js';
export type { TotpPairResult, TotpSearch } from './totp.js';
export type { PairFailureReason } from './pair-search.js';
export { decodeModhex, encodeModhex } from './modhex.js';
export { crc16, CRC16_RESIDUE, crc16ResidueValid } from './crc16.js';
export { checkYubicoOtp, decryptYubicoOtp, encodeYubicoOtp, parseYubicoOtp } from './yubico.js';
export type {
  YubicoCheckResult,
  YubicoCounters,
  YubicoFailureReason,
  YubicoKeys,
  YubicoOtpFields,
  YubicoOtpParts,
} from './yubico.js';
