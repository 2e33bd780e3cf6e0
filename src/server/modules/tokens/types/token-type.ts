import type { TenantSettings } from '../../../../contract/directory.js';
import type { HwTokensTable } from '../../../storage/schema.js';
import type { TokenSpec, TokenType } from '../token-spec.js';

/** The moving parts of a token that verification and resync read and change. */
export type TokenState = Pick<
  HwTokensTable,
  'algorithm' | 'digits' | 'period' | 'counter' | 'drift' | 'last_step' | 'yubico_public_id' | 'yubico_use_counter' | 'yubico_session_counter'
>;
export type StateChange = Partial<TokenState>;

/** `used`: the pair lies at or before the last step already accepted (TOTP). */
export type ResyncFailure = 'order' | 'not_consecutive' | 'not_found' | 'used';

/**
 * One token type (SPEC.md §2): how its key material is kept, how an OTP is
 * checked and, where the type allows it, how it is resynchronised. A new type
 * is one new module registered in token-types.ts.
 */
export interface TokenTypeHandler {
  type: TokenType;
  capabilities: { reset: boolean };
  /** Key material to encrypt at rest. */
  keyMaterial(spec: TokenSpec): Buffer;
  /** State columns a new token starts with. */
  initialState(spec: TokenSpec): StateChange;
  /**
   * Whether `otp` has the form this token shows (its number of digits; a
   * Yubico OTP of its public id). A wrong OTP counts as a failure only on the
   * tokens it could be for.
   */
  isFor(state: TokenState, otp: string): boolean;
  /** The state after accepting `otp`, or undefined when it is not accepted. */
  verify(state: TokenState, material: Buffer, otp: string, settings: TenantSettings, now: number): StateChange | undefined;
  resync?(state: TokenState, material: Buffer, otp1: string, otp2: string, settings: TenantSettings, now: number):
    | { ok: true; change: StateChange }
    | { ok: false; reason: ResyncFailure };
}
