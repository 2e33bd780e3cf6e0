import type { VerifyBody, VerifyResult } from '../../../contract/tokens.js';
import type { TenantContext } from '../../lib/context.js';
import { assertUserNamed } from '../../lib/usernames.js';
import { auditEvent, type AuditEntry } from '../audit/audit-log.js';
import type { AuditedChange } from '../audit/group-commit.js';
import { keyMaterialOf } from '../tokens/token-factory.js';
import { tokenTypeHandler } from '../tokens/token-types.js';
import { countFailureOrLock, isLocked } from './lockout.js';
import { acceptIfUnchanged, findUserWithActiveTokens, type VerifiableToken } from './verification-queries.js';
import type { StateChange } from '../tokens/types/token-type.js';

/** A verification that lost a compare-and-set race re-reads and tries again, this often. */
const MAX_ATTEMPTS = 3;

type Outcome = 'accepted' | 'rejected' | 'locked' | 'no_active_token';
type Subject = { userId: string; username: string };

const serials = (tokens: VerifiableToken[]) => tokens.map((t) => t.serial).join(', ');

/** An event about the tokens that took part names the token when there was one (its history then shows it). */
const onlyToken = (tokens: VerifiableToken[]) => (tokens.length === 1 ? { tokenId: tokens[0]!.id, serial: tokens[0]!.serial } : {});

/**
 * Second-factor verification (SPEC.md §5). An OTP is accepted at most once:
 * the token's state moves by compare-and-set on its version, never by
 * read-then-write, so that of two instances checking the same OTP one wins.
 */
export class Verifier {
  constructor(private readonly ctx: TenantContext) {}

  async verify(body: VerifyBody): Promise<VerifyResult> {
    // A request that names nobody is a caller's mistake, not a failed sign-in.
    assertUserNamed(body);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const found = await findUserWithActiveTokens(this.ctx.storage, this.ctx.tenant.id,
        { userId: body.userId, username: body.username }, body.serial);
      if (!found) return this.finish('no_active_token', { username: body.username ?? null, userId: body.userId ?? null, detail: 'unknown user' });
      const subject = { userId: found.user.id, username: found.user.username };
      const { tokens } = found;
      if (tokens.length === 0) return this.finish('no_active_token', subject);
      const now = this.ctx.clock.now();
      const usable = tokens.filter((t) => !isLocked(t, now));
      if (usable.length === 0) return this.finish('locked', { ...subject, ...onlyToken(tokens), detail: `locked: ${serials(tokens)}` });

      // Only the tokens the OTP could be for take part: a 6-digit guess does not lock the user's YubiKey.
      const candidates = usable.filter((t) => tokenTypeHandler(t.type).isFor(t, body.otp));
      if (candidates.length === 0) return this.finish('rejected', { ...subject, ...onlyToken(usable), detail: `the OTP has the form of none of ${serials(usable)}` });
      const match = this.firstMatch(candidates, body.otp, now);
      if (!match) {
        await this.countFailures(candidates, subject, now);
        return { accepted: false, reason: 'rejected' };
      }
      // Lost a compare-and-set race: read again; a replayed OTP now fails.
      if (await this.consume(match.token, match.change, subject, now)) {
        return { accepted: true, tokenId: match.token.id, serial: match.token.serial };
      }
    }
    return this.finish('rejected', { username: body.username ?? null, userId: body.userId ?? null, detail: 'the token changed during verification' });
  }

  private firstMatch(tokens: VerifiableToken[], otp: string, now: number): { token: VerifiableToken; change: StateChange } | undefined {
    for (const token of tokens) {
      const material = keyMaterialOf(this.ctx, token);
      if (!material) continue;
      const change = tokenTypeHandler(token.type).verify(token, material, otp, this.ctx.tenant.settings, now);
      if (change) return { token, change };
    }
    return undefined;
  }

  /** Stores the new state only if the token is as it was read; audited in the same transaction. */
  private async consume(token: VerifiableToken, change: StateChange, subject: Subject, now: number): Promise<boolean> {
    const state = { ...token, ...change };
    const acceptance = {
      tenantId: token.tenant_id, id: token.id, version: token.version, now, counter: state.counter, drift: state.drift,
      last_step: state.last_step, yubico_use_counter: state.yubico_use_counter, yubico_session_counter: state.yubico_session_counter,
    };
    const stored = await this.ctx.groupCommit.runBulk(this.ctx.tenant.id, token.id, acceptIfUnchanged, acceptance, (accepted) =>
      (accepted ? [auditEvent(this.ctx, { action: 'verify', tokenId: token.id, serial: token.serial, ...subject }, 'accepted')] : []));
    if (stored) this.ctx.metrics.verifications.inc({ outcome: 'accepted' });
    return stored;
  }

  /** Every token that took part counts the failure; at the tenant's limit it locks. */
  private async countFailures(tokens: VerifiableToken[], subject: Subject, now: number): Promise<void> {
    const byId = [...tokens].sort((a, b) => (a.id < b.id ? -1 : 1));
    await this.commit(byId[0]!.id, async (tx) => {
      const locked: string[] = [];
      for (const token of byId) {
        if (await countFailureOrLock(tx, this.ctx, token, now)) locked.push(token.serial);
      }
      const detail = `tried ${serials(tokens)}${locked.length ? `; locked ${locked.join(', ')}` : ''}`;
      return { result: undefined, events: [auditEvent(this.ctx, { action: 'verify', ...subject, ...onlyToken(tokens), detail }, 'rejected')] };
    });
    this.ctx.metrics.verifications.inc({ outcome: 'rejected' });
  }

  private async finish(outcome: Exclude<Outcome, 'accepted'>, entry: Omit<AuditEntry, 'action'>): Promise<VerifyResult> {
    await this.commit('', async () => ({ result: undefined, events: [auditEvent(this.ctx, { action: 'verify', ...entry }, outcome)] }));
    this.ctx.metrics.verifications.inc({ outcome });
    return { accepted: false, reason: outcome };
  }

  /** `firstLocked`: the id of the token the change updates first ('' for none). */
  private commit<T>(firstLocked: string, change: AuditedChange<T>): Promise<T> {
    return this.ctx.groupCommit.run(this.ctx.tenant.id, firstLocked, change);
  }
}
