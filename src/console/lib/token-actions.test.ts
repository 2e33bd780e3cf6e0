import { describe, expect, it } from 'vitest';
import { ROLE_PRIVILEGES, type Privilege, type Role } from '../../contract/privileges.js';
import { availableActions, type ActionToken } from './token-actions.js';

const privileges = (role: Role): Set<Privilege> => new Set(ROLE_PRIVILEGES[role]);
const holder = { id: 'u1', username: 'alice', displayName: 'Alice' };
const token = (patch: Partial<ActionToken> = {}): ActionToken => ({
  status: 'active', holder: null, locked: false, capabilities: { reset: true }, ...patch,
});

describe('actions a token offers', () => {
  it('offers a tenant admin everything an active token in stock allows', () => {
    expect(availableActions(token(), privileges('tenant-admin'))).toEqual(['assign', 'disable', 'compromise', 'reset', 'history']);
  });

  it('offers unassign instead of assign once the token has a holder', () => {
    expect(availableActions(token({ holder }), privileges('tenant-admin'))).toEqual(['unassign', 'disable', 'compromise', 'reset', 'history']);
  });

  it('offers enable, not disable, for a disabled token', () => {
    expect(availableActions(token({ status: 'disabled', holder }), privileges('tenant-admin'))).toEqual(['unassign', 'enable', 'compromise', 'reset', 'history']);
  });

  it('offers only the history of a compromised token', () => {
    expect(availableActions(token({ status: 'compromised', locked: true }), privileges('tenant-admin'))).toEqual(['history']);
  });

  it('does not offer a reset for a type that cannot be reset (Yubico OTP)', () => {
    expect(availableActions(token({ capabilities: { reset: false } }), privileges('tenant-admin'))).not.toContain('reset');
  });

  it('offers unlock only while the token is locked', () => {
    expect(availableActions(token({ locked: true }), privileges('helpdesk'))).toContain('unlock');
    expect(availableActions(token(), privileges('helpdesk'))).not.toContain('unlock');
  });

  it('offers a viewer and an auditor nothing but the history', () => {
    for (const role of ['viewer', 'auditor'] as const) {
      expect(availableActions(token({ holder, locked: true }), privileges(role))).toEqual(['history']);
    }
  });

  it('keeps compromise from the help desk, which holds every other action', () => {
    const actions = availableActions(token({ holder, locked: true }), privileges('helpdesk'));
    expect(actions).toEqual(['unassign', 'disable', 'reset', 'unlock', 'history']);
  });

  it('offers a machine role nothing', () => {
    expect(availableActions(token(), privileges('verifier'))).toEqual([]);
  });
});
