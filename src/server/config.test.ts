import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { printableLocation } from './storage/db.js';

describe('loadConfig', () => {
  it('takes a PostgreSQL URL, or none for the embedded database', () => {
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(loadConfig({ HWT_DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    for (const url of ['postgres://postgres@127.0.0.1/test', 'postgresql://u:p@db:5432/hwt?sslmode=require']) {
      expect(loadConfig({ HWT_DATABASE_URL: url }).databaseUrl).toBe(url);
    }
  });

  it('refuses any other database URL instead of starting on a file of its own', () => {
    for (const url of ['mysql://x', '/srv/hwtokens/other.db', 'sqlite:///tmp/x.db', 'postgres:/missing-slash', ' postgres://x']) {
      expect(() => loadConfig({ HWT_DATABASE_URL: url }), url).toThrow(/HWT_DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
    }
  });

  it('refuses a port or limit that is no non-negative integer', () => {
    expect(() => loadConfig({ HWT_PORT: 'http' })).toThrow(/HWT_PORT/);
    expect(() => loadConfig({ HWT_BODY_LIMIT: '-1' })).toThrow(/HWT_BODY_LIMIT/);
  });

  it('shows a database URL without its credentials, in the user part or in parameters', () => {
    expect(printableLocation('postgres://u:pw@db.example:5432/hwt?password=QueryPW9&sslmode=require')).toBe('postgres://db.example:5432/hwt');
    expect(printableLocation('postgresql://db/hwt')).toBe('postgresql://db/hwt');
  });
});
