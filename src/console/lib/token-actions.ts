import type { HwToken, Privilege } from '../../contract/index.js';

/**
 * Which actions of the row menu a token offers to an operator: the
 * intersection of the operator's privileges in the tenant, the token's type
 * (its capabilities) and its state (SPEC §3). The server enforces the same
 * rules; the console only avoids offering what would be refused.
 */
export const TOKEN_ACTIONS = ['assign', 'unassign', 'disable', 'enable', 'compromise', 'reset', 'unlock', 'history'] as const;
export type TokenAction = (typeof TOKEN_ACTIONS)[number];

/** The labels operators are trained on (SPEC §10), word for word. */
export const ACTION_LABELS: Record<TokenAction, string> = {
  assign: 'ASSIGN TO USER',
  unassign: 'UNASSIGN FROM USER',
  disable: 'DISABLE TEMPORARILY',
  enable: 'ENABLE',
  compromise: 'COMPROMISE',
  reset: 'RESET TOKEN',
  unlock: 'UNLOCK',
  history: 'HISTORY',
};

export const ACTION_PRIVILEGE: Record<TokenAction, Privilege> = {
  assign: 'hwtoken:assign',
  unassign: 'hwtoken:unassign',
  disable: 'hwtoken:disable',
  enable: 'hwtoken:disable',
  compromise: 'hwtoken:compromise',
  reset: 'hwtoken:reset',
  unlock: 'hwtoken:reset',
  history: 'hwtoken:read',
};

export type ActionToken = Pick<HwToken, 'status' | 'holder' | 'locked' | 'capabilities'>;

const STATE_ALLOWS: Record<TokenAction, (token: ActionToken) => boolean> = {
  assign: (t) => t.status !== 'compromised' && t.holder === null,
  unassign: (t) => t.status !== 'compromised' && t.holder !== null,
  disable: (t) => t.status === 'active',
  enable: (t) => t.status === 'disabled',
  compromise: (t) => t.status !== 'compromised',
  reset: (t) => t.status !== 'compromised' && t.capabilities.reset,
  unlock: (t) => t.status !== 'compromised' && t.locked,
  history: () => true,
};

/** The actions, in menu order, that `privileges` and the token's type and state allow. */
export function availableActions(token: ActionToken, privileges: ReadonlySet<Privilege>): TokenAction[] {
  return TOKEN_ACTIONS.filter((action) => privileges.has(ACTION_PRIVILEGE[action]) && STATE_ALLOWS[action](token));
}
