import type { TokenType } from './token-spec.js';
import type { TokenTypeHandler } from './types/token-type.js';
import { hotpType } from './types/hotp-type.js';
import { totpType } from './types/totp-type.js';
import { yubicoType } from './types/yubico-type.js';

/** The registry of token types: the only place that lists them. */
const HANDLERS: Record<TokenType, TokenTypeHandler> = { hotp: hotpType, totp: totpType, yubico: yubicoType };

export function tokenTypeHandler(type: string): TokenTypeHandler {
  const handler = HANDLERS[type as TokenType];
  if (!handler) throw new Error(`unknown token type ${type}`);
  return handler;
}
