import type { AddTokenBody, HwToken, HwTokenPage, TokenExportQuery, TokenListQuery, TokenStats } from '../../../contract/tokens.js';
import { AppError, assertThat } from '../../lib/app-error.js';
import type { TenantContext } from '../../lib/context.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { audited } from '../audit/audit-log.js';
import { decodeBase32, decodeHex } from '../otp/index.js';
import { newTokenRow } from './token-factory.js';
import { accessFor, TokenList } from './token-list.js';
import { TokenRepository, type TokenRow } from './token-repository.js';
import { TOKEN_SPEC_DEFAULTS, tokenSpecProblems, type TokenSpec } from './token-spec.js';
import { tokensJson } from './token-view.js';

/** Reading the inventory and adding single tokens to it. */
export class TokenInventory {
  constructor(private readonly ctx: TenantContext) {}

  private get tokens(): TokenList {
    return new TokenList(this.ctx.storage.db, this.ctx.storage.dialect, this.ctx.tenant.id);
  }

  private get repo(): TokenRepository {
    return new TokenRepository(this.ctx.storage.db, this.ctx.storage.dialect, this.ctx.tenant.id);
  }

  async list(filter: TokenListQuery): Promise<HwTokenPage> {
    const { rows, ...page } = await this.tokens.page(filter);
    return { items: await this.render(rows), ...page };
  }

  /** Every matching row, a page at a time (CSV export). */
  async *all(filter: TokenExportQuery): AsyncGenerator<HwToken[]> {
    const access = accessFor(await this.tokens.countCapped(filter));
    let cursor: string | undefined;
    do {
      const { rows, nextCursor } = await this.tokens.list({ ...filter, limit: 500, cursor }, access);
      yield await this.render(rows);
      cursor = nextCursor ?? undefined;
    } while (cursor);
  }

  async get(id: string): Promise<HwToken> {
    const row = await this.repo.findById(id);
    assertThat(row, 'NOT_FOUND', 'No such token in this tenant.');
    return (await this.render([row]))[0]!;
  }

  stats(): Promise<TokenStats> {
    return this.repo.stats(this.ctx.clock.now());
  }

  async add(body: AddTokenBody): Promise<HwToken> {
    const spec = specFromBody(body);
    const problems = tokenSpecProblems(spec);
    if (problems.length > 0) {
      throw new AppError('VALIDATION_FAILED', problems.join('; '), problems.map((reason) => ({ ref: 'body', reason })));
    }
    const row = newTokenRow(this.ctx, spec, { now: this.ctx.clock.now() });
    const entry = { action: 'add', tokenId: row.id, serial: row.serial, detail: `type ${row.type}` };
    try {
      await audited(this.ctx, () => entry, async (tx) => {
        const repo = new TokenRepository(tx, this.ctx.storage.dialect, this.ctx.tenant.id);
        assertThat(!(await repo.findBySerial(spec.serial)), 'DUPLICATE_SERIAL', `A token with serial ${spec.serial} already exists.`);
        await repo.insert([row]);
      });
    } catch (error) {
      // Two adds of one serial at once: the unique index decides.
      if (isUniqueViolation(error)) throw new AppError('DUPLICATE_SERIAL', `A token with serial ${spec.serial} or this public id already exists.`);
      throw error;
    }
    return (await this.render([row]))[0]!;
  }

  private render(rows: TokenRow[]): Promise<HwToken[]> {
    return tokensJson(this.ctx.storage.db, this.ctx.tenant.id, rows, this.ctx.clock.now());
  }
}

function specFromBody(body: AddTokenBody): TokenSpec {
  return {
    ...TOKEN_SPEC_DEFAULTS,
    serial: body.serial.trim(),
    type: body.type,
    algorithm: body.algorithm ?? TOKEN_SPEC_DEFAULTS.algorithm,
    digits: body.digits ?? TOKEN_SPEC_DEFAULTS.digits,
    period: body.period ?? TOKEN_SPEC_DEFAULTS.period,
    counter: body.counter ?? 0,
    secret: decodeSecret(body),
    publicId: body.publicId,
    privateId: body.privateId ? Buffer.from(body.privateId, 'hex') : undefined,
    aesKey: body.aesKey ? Buffer.from(body.aesKey, 'hex') : undefined,
    vendor: body.vendor ?? null,
    model: body.model ?? null,
    description: body.description ?? null,
  };
}

function decodeSecret(body: AddTokenBody): Buffer | undefined {
  if (body.type === 'yubico') {
    assertThat(!body.secret && !body.secretHex, 'VALIDATION_FAILED', 'A yubico token takes publicId, privateId and aesKey, not a secret.');
    return undefined;
  }
  assertThat(!(body.secret && body.secretHex), 'VALIDATION_FAILED', 'Give the key as secret (base32) or secretHex, not both.');
  try {
    if (body.secret) return decodeBase32(body.secret);
    if (body.secretHex) return decodeHex(body.secretHex);
  } catch {
    throw new AppError('VALIDATION_FAILED', body.secret ? 'secret is not valid base32.' : 'secretHex is not valid hex.');
  }
  throw new AppError('VALIDATION_FAILED', 'A hotp or totp token needs its key as secret (base32) or secretHex.');
}
