import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectSeedFormat, parseSeedFile, SeedFileError, type SeedFormat } from './seed-file.js';
import { chunks, fixturePath, parseAll } from './seed-testing.js';

describe('detectSeedFormat', () => {
  it.each<[string, SeedFormat]>([
    ['pskc-plain.pskcxml', 'pskc'],
    ['rfc6030-figure6.pskcxml', 'pskc'],
    ['pskctool-signed.pskcxml', 'pskc'],
    ['hostile-xxe.pskcxml', 'pskc'],
    ['seeds.csv', 'csv'],
    ['seeds-semicolon.csv', 'csv'],
    ['seeds-bad.csv', 'csv'],
    ['yubico-traditional.csv', 'yubico-csv'],
    ['yubico-traditional-mixed.csv', 'yubico-csv'],
    ['yubico-format.csv', 'yubico-csv'],
    ['yubico-simple.csv', 'yubico-csv'],
    ['otpauth.txt', 'otpauth'],
    ['otpauth-bad.txt', 'otpauth'],
  ])('%s is %s', (file, format) => {
    expect(detectSeedFormat(readFileSync(fixturePath(file)).subarray(0, 4096))).toBe(format);
  });

  it('knows nothing of other text', () => {
    expect(detectSeedFormat(Buffer.from(''))).toBeUndefined();
    expect(detectSeedFormat(Buffer.from('This is not XML, just text.\n'))).toBeUndefined();
    expect(detectSeedFormat(Buffer.from('name,email\nalice,a@example.com\n'))).toBeUndefined();
  });

  it('looks past a byte order mark and leading comments', () => {
    expect(detectSeedFormat(Buffer.from('\ufeff<?xml version="1.0"?><KeyContainer/>'))).toBe('pskc');
    expect(detectSeedFormat(Buffer.from('# exported\n\notpauth://totp/X?secret=AA'))).toBe('otpauth');
  });
});

describe('parseSeedFile', () => {
  it('refuses an unknown format', async () => {
    await expect(parseAll(chunks('x'), { format: 'xml' as SeedFormat })).rejects.toThrow('unknown seed file format "xml"');
  });

  it('bounds the number of entries', async () => {
    const lines = Array.from({ length: 5 }, (_, i) => `otpauth://totp/N${i}?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ`).join('\n');
    await expect(parseAll(chunks(lines), { format: 'otpauth', maxEntries: 4 })).rejects.toThrow(
      new SeedFileError('the file holds more than 4 entries'),
    );
    expect((await parseAll(chunks(lines), { format: 'otpauth', maxEntries: 5 })).entries).toHaveLength(5);
  });

  it('yields entries as they are read, before the file ends', async () => {
    async function* slow(): AsyncGenerator<string> {
      yield 'otpauth://totp/FIRST?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n';
      throw new Error('the rest never arrives');
    }
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of parseSeedFile(slow(), { format: 'otpauth' })) if ('entry' in item) seen.push(item.entry.spec.serial);
      })(),
    ).rejects.toThrow('the rest never arrives');
    expect(seen).toEqual(['FIRST']);
  });

  it('accepts strings as well as buffers, with multi-byte characters split across chunks', async () => {
    const text = 'otpauth://totp/Caf%C3%A9:T1?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Café Ünïcode\n';
    const { entries } = await parseAll(chunks(text, 1), { format: 'otpauth' });
    expect(entries.map((e) => [e.spec.serial, e.spec.vendor])).toEqual([['T1', 'Café Ünïcode']]);
  });
});
