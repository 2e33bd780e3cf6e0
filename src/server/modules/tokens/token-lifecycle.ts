import type { AssignBody, HwToken } from '../../../contract/tokens.js';
import { AppError, assertThat } from '../../lib/app-error.js';
import type { TenantContext } from '../../lib/context.js';
import { assertUserNamed } from '../../lib/usernames.js';
import type { Tx } from '../../storage/db.js';
import { audited, type AuditEntry } from '../audit/audit-log.js';
import { isWellFormedOtp, type OtpDigits } from '../otp/index.js';
import { UserRepository } from '../users/user-repository.js';
import { countFailureOrLock, isLocked } from '../verification/lockout.js';
import { keyMaterialOf } from './token-factory.js';
import { TokenRepository, type TokenRow, type TokenUpdate } from './token-repository.js';
import { tokenTypeHandler } from './token-types.js';
import type { ResyncFailure } from './types/token-type.js';
import { tokensJson } from './token-view.js';

const RESYNC_MESSAGES: Record<ResyncFailure, string> = {
  order: 'The two OTPs were found, but in the wrong order: enter first the OTP the token generated first.',
  not_consecutive: 'The two OTPs were found, but they are not consecutive: generate two OTPs one right after the other.',
  not_found: 'The OTPs were not found within the sync window: check that they come from this token and try again.',
  used: 'These OTPs were already used: generate two new OTPs on the token, one right after the other.',
};

type Change = (tx: Tx, token: TokenRow, entry: AuditEntry) => Promise<TokenUpdate> | TokenUpdate;

/**
 * The actions of SPEC.md §3. Each locks the token's row, checks its rule, and
 * writes the change and its audit event in one transaction; a refusal is
 * audited too.
 */
export class TokenLifecycle {
  constructor(private readonly ctx: TenantContext) {}

  async assign(id: string, body: AssignBody): Promise<HwToken> {
    assertUserNamed(body);
    let wrongProof = false;
    try {
      return await this.act('assign', id, undefined, async (tx, token, entry) => {
        // The event names the user asked for, also when the assignment is refused.
        Object.assign(entry, { userId: body.userId ?? null, username: body.username ?? null });
        assertThat(token.status !== 'compromised', 'TOKEN_COMPROMISED', 'A compromised token cannot be assigned.');
        assertThat(!token.holder_id, 'ALREADY_ASSIGNED', 'The token is already assigned to a user: unassign it first.');
        const user = await this.findUser(tx, body);
        Object.assign(entry, { userId: user.id, username: user.username });
        const proof = this.proveOwnership(token, body.otp);
        wrongProof = proof === 'wrong';
        assertThat(proof !== 'wrong', 'OTP_INVALID', 'The OTP does not match this token.');
        return { ...proof, holder_id: user.id, holder_sort: user.username_lower, assigned_at: this.ctx.clock.now() };
      });
    } catch (error) {
      // A wrong proof counts as a failed verification would, once the refusal is rolled back: no unlimited guessing.
      if (wrongProof) await this.ctx.storage.db.transaction().execute((tx) => countFailureOrLock(tx, this.ctx, { tenant_id: this.ctx.tenant.id, id }, this.ctx.clock.now()));
      throw error;
    }
  }

  unassign(id: string): Promise<HwToken> {
    return this.act('unassign', id, undefined, (_tx, token) => {
      assertThat(token.holder_id, 'NOT_ASSIGNED', 'The token is not assigned to a user.');
      return { holder_id: null, holder_sort: '', assigned_at: null };
    });
  }

  disable(id: string): Promise<HwToken> {
    return this.act('disable', id, undefined, async (tx, token) => {
      assertThat(token.status === 'active', 'INVALID_STATE', `Only an active token can be disabled; this one is ${token.status}.`);
      if (token.holder_id) {
        // Serialise on the holder: two disables of a user's last two active
        // tokens, on any instances, end with exactly one disabled.
        await new UserRepository(tx, this.ctx.tenant.id).lock(token.holder_id);
        const othersActive = await this.tokens(tx).countActiveOfUser(token.holder_id, token.id);
        assertThat(othersActive > 0, 'LAST_ACTIVE_TOKEN',
          "This is the user's last active token: a user must always keep one active token. Assign and enable another token first.");
      }
      return { status: 'disabled' };
    });
  }

  enable(id: string): Promise<HwToken> {
    return this.act('enable', id, undefined, (_tx, token) => {
      assertThat(token.status === 'disabled', 'INVALID_STATE', `Only a disabled token can be enabled; this one is ${token.status}.`);
      return { status: 'active' };
    });
  }

  /** Terminal: the key material is deleted, the holder released, the record kept. */
  compromise(id: string, reason: string): Promise<HwToken> {
    return this.act('compromise', id, reason, (_tx, token) => {
      assertThat(token.status !== 'compromised', 'TOKEN_COMPROMISED', 'The token is already compromised.');
      return {
        status: 'compromised', secret_enc: null, key_id: null, former_holder_id: token.holder_id,
        holder_id: null, holder_sort: '', assigned_at: null, compromised_at: this.ctx.clock.now(),
        compromise_reason: reason, compromised_by: this.ctx.actor, locked_until: null, fail_count: 0,
      };
    });
  }

  reset(id: string, otp1: string, otp2: string): Promise<HwToken> {
    return this.act('reset', id, undefined, (_tx, token) => {
      assertThat(token.status !== 'compromised', 'TOKEN_COMPROMISED', 'A compromised token cannot be reset.');
      const handler = tokenTypeHandler(token.type);
      assertThat(handler.resync, 'RESET_NOT_SUPPORTED', `A ${token.type} token cannot be reset.`);
      const digits = token.digits as OtpDigits;
      assertThat(isWellFormedOtp(otp1, digits) && isWellFormedOtp(otp2, digits), 'RESET_FAILED',
        `This token shows OTPs of ${digits} digits: enter two OTPs of ${digits} digits each.`);
      const result = handler.resync(token, this.material(token), otp1, otp2, this.ctx.tenant.settings, this.ctx.clock.now());
      if (!result.ok) throw new AppError('RESET_FAILED', RESYNC_MESSAGES[result.reason]);
      return { ...result.change, fail_count: 0, lock_count: 0, locked_until: null };
    });
  }

  unlock(id: string): Promise<HwToken> {
    return this.act('unlock', id, undefined, (_tx, token) => {
      assertThat(token.status !== 'compromised', 'TOKEN_COMPROMISED', 'A compromised token cannot be unlocked.');
      return { fail_count: 0, lock_count: 0, locked_until: null };
    });
  }

  private async act(action: string, id: string, reason: string | undefined, change: Change): Promise<HwToken> {
    const entry: AuditEntry = { action, reason: reason ?? null, detail: null };
    const row = await audited(this.ctx, () => entry, async (tx) => {
      const token = await this.tokens(tx).lockById(id);
      if (!token) {
        entry.detail = `token id ${id}`;
        throw new AppError('NOT_FOUND', 'No such token in this tenant.');
      }
      Object.assign(entry, { tokenId: token.id, serial: token.serial, userId: token.holder_id });
      if (token.holder_id) entry.username = (await new UserRepository(tx, this.ctx.tenant.id).findById(token.holder_id))?.username ?? null;
      const update = await change(tx, token, entry);
      const updated = await this.tokens(tx).updateIfVersion(token.id, token.version, { ...update, updated_at: this.ctx.clock.now() });
      if (!updated) throw new Error('token row changed while locked');
      return updated;
    });
    const [json] = await tokensJson(this.ctx.storage.db, this.ctx.tenant.id, [row], this.ctx.clock.now());
    return json!;
  }

  private async findUser(tx: Tx, body: AssignBody) {
    const users = new UserRepository(tx, this.ctx.tenant.id);
    const user = body.userId ? await users.findById(body.userId) : await users.findByUsername(body.username!);
    assertThat(user, 'NOT_FOUND', 'No such user in this tenant.');
    return user;
  }

  /**
   * Assignment with an OTP proves possession (a tenant can require it); the
   * OTP is then used up. A token locked by failures takes no proof, as it
   * takes no verification.
   */
  private proveOwnership(token: TokenRow, otp: string | undefined): TokenUpdate | 'wrong' {
    const now = this.ctx.clock.now();
    if (otp === undefined) {
      assertThat(!this.ctx.tenant.settings.requireProofOnAssign, 'OTP_INVALID', 'This tenant requires an OTP from the token to assign it.');
      return {};
    }
    assertThat(!isLocked(token, now), 'OTP_INVALID', 'The token is locked after too many wrong OTPs: unlock it, then enter a new OTP.');
    const handler = tokenTypeHandler(token.type);
    // A mistyped length is no guess at this token: it is refused without counting as a failure.
    assertThat(handler.isFor(token, otp), 'OTP_INVALID', 'This is not an OTP of this token: check its number of digits (or, for a YubiKey, that it is this key).');
    const change = handler.verify(token, this.material(token), otp, this.ctx.tenant.settings, now);
    return change ? { ...change, last_used_at: now, fail_count: 0, lock_count: 0, locked_until: null } : 'wrong';
  }

  private material(token: TokenRow): Buffer {
    const material = keyMaterialOf(this.ctx, token);
    if (!material) throw new Error(`token ${token.id} has no key material`);
    return material;
  }

  private tokens(tx: Tx): TokenRepository {
    return new TokenRepository(tx, this.ctx.storage.dialect, this.ctx.tenant.id);
  }
}
