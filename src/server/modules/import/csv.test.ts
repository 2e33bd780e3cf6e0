import { describe, expect, it } from 'vitest';
import { SeedFileError } from './seed-types.js';
import { chunks, fixture, hex, parseAll, SECRET_SHA1, SECRET_SHA256, SECRET_SHA512 } from './seed-testing.js';

const csv = { format: 'csv' } as const;
const HEADER = 'serial,secret,type,digits,period|counter,algorithm,vendor,model,username\n';

describe('CSV seed files', () => {
  it('reads base32 and hex: secrets, period|counter by type, defaults and usernames', async () => {
    const { entries, problems } = await parseAll(fixture('seeds.csv', 64), csv);
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.ref, e.spec.serial, e.username])).toEqual([
      ['line 2', 'CSV-HOTP-1', 'alice'],
      ['line 3', 'CSV-TOTP-256', undefined],
      ['line 4', 'CSV-TOTP-512', undefined],
      ['line 5', 'CSV-HOTP-2', 'bob'],
    ]);
    const [hotp1, totp256, totp512, hotp2] = entries.map((e) => e.spec);
    expect(hotp1).toMatchObject({ type: 'hotp', algorithm: 'SHA1', digits: 6, counter: 0, vendor: 'Feitian', model: 'c100' });
    expect(totp256).toMatchObject({ type: 'totp', algorithm: 'SHA256', digits: 8, period: 30 });
    expect(totp512).toMatchObject({ type: 'totp', algorithm: 'SHA512', digits: 8, period: 60, vendor: null, model: null });
    expect(hotp2).toMatchObject({ type: 'hotp', algorithm: 'SHA1', digits: 6, counter: 7, period: 30, drift: 0 });
    expect(entries.map((e) => hex(e.spec.secret))).toEqual([SECRET_SHA1, SECRET_SHA256, SECRET_SHA512, SECRET_SHA1]);
  });

  it('reads semicolons, CRLF, any header case, secret_hex and yubico keys', async () => {
    const { entries, problems } = await parseAll(fixture('seeds-semicolon.csv'), csv);
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.ref, e.spec.serial, e.spec.type])).toEqual([
      ['line 2', 'SEMI-HOTP', 'hotp'],
      ['line 3', 'SEMI-TOTP', 'totp'],
      ['line 4', 'SEMI-YK', 'yubico'],
    ]);
    expect(entries[0]?.spec).toMatchObject({ counter: 3, vendor: 'ACME' });
    expect(entries[1]?.spec).toMatchObject({ period: 60, digits: 8, algorithm: 'SHA1' });
    expect(entries[1]?.username).toBe('carol');
    expect(hex(entries[1]?.spec.secret)).toBe(SECRET_SHA1);
    const yubikey = entries[2]?.spec;
    expect(yubikey).toMatchObject({ publicId: 'cccjgjgkhcbb', model: 'YubiKey 5' });
    expect([hex(yubikey?.privateId), hex(yubikey?.aesKey)]).toEqual(['010203040506', '000102030405060708090a0b0c0d0e0f']);
  });

  it('makes each bad row a problem and goes on', async () => {
    const { entries, problems } = await parseAll(fixture('seeds-bad.csv'), csv);
    expect(entries.map((e) => e.spec.serial)).toEqual(['BAD-1']);
    expect(problems).toEqual([
      {
        ref: 'line 3',
        reason: 'secret: invalid base32 character at position 2 (mark hex with a "hex:" prefix or use a secret_hex column)',
      },
      { ref: 'line 4', reason: 'unknown type "motp"' },
      {
        ref: 'line 5',
        reason: 'unsupported algorithm "MD5" (SHA1, SHA256 or SHA512); digits must be 6 or 8, not 7; period must be 30 or 60 seconds, not 45',
      },
      { ref: 'line 6', reason: 'duplicate serial "BAD-1" (first at line 2)' },
      { ref: 'line 7', reason: 'digits "six" is not an integer; secret must be 16-128 bytes, not 5' },
      { ref: 'line 8', reason: 'the row has 3 cells, the header 9' },
    ]);
  });

  it('never puts a secret in a reason, even from a cell in the wrong column', async () => {
    const { problems } = await parseAll(fixture('seeds-bad.csv'), csv);
    for (const { reason } of problems) expect(reason).not.toMatch(/GEZDGNBV|3132333435/);
    const swapped = await parseAll(chunks('serial,type,secret,digits\nX-1,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,hotp,GEZDGNBVGY3TQOJQ\n'), csv);
    expect(swapped.problems).toEqual([{ ref: 'line 2', reason: 'unknown type (a value of 32 characters)' }]);
    const shifted = await parseAll(chunks('serial,type,secret,digits\nX-1,hotp,GEZDGNBV,GEZDGNBVGY3TQOJQGEZDGNBVGY\n'), csv);
    expect(shifted.problems).toEqual([
      { ref: 'line 2', reason: 'digits (a value of 26 characters) is not an integer; secret must be 16-128 bytes, not 5' },
    ]);
  });

  it('refuses a header with an unknown or missing column', async () => {
    await expect(parseAll(chunks('serial,secret,type,secert\n'), csv)).rejects.toThrow(
      'line 1: unknown column "secert": the first row must name the columns (serial, type, secret, ...)',
    );
    await expect(parseAll(chunks('CSV-1,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,hotp\n'), csv)).rejects.toThrow('unknown column "CSV-1"');
    await expect(parseAll(chunks('serial,secret\nA,B\n'), csv)).rejects.toThrow('the header row has no type column');
    await expect(parseAll(chunks('serial,type,Serial\n'), csv)).rejects.toThrow('the column serial appears twice');
  });

  it('refuses an empty file and broken quoting', async () => {
    await expect(parseAll(chunks(''), csv)).rejects.toThrow('the file is empty');
    const error = await parseAll(chunks(`${HEADER}"X,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,hotp,6,0,,,,\n`), csv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeedFileError);
    expect((error as Error).message).toBe('line 2: not valid CSV: a quoted cell is not closed');
  });

  it('bounds the length of a row', async () => {
    const long = `${HEADER}X,${'A'.repeat(20_000)},hotp,6,0,,,,\n`;
    await expect(parseAll(chunks(long), csv)).rejects.toThrow('not valid CSV: a row is longer than 8192 characters');
  });

  it('reads quoted cells and a yubico row missing its keys', async () => {
    const text = 'serial,type,public_id,private_id,aes_key,description\n"YK,1",yubico,cccjgjgkhcbb,0102030405,,"a ""quoted"" note"\n';
    const { problems } = await parseAll(chunks(text), csv);
    expect(problems).toEqual([
      {
        ref: 'line 2',
        reason:
          'serial must be 1-64 letters, digits or . _ : - /, starting with a letter or digit; privateId must be 6 bytes (12 hex digits); aesKey must be 16 bytes (32 hex digits)',
      },
    ]);
  });

  it("passes on an error of its input as it is (a file cut at the size limit), not as the parser's complaint", async () => {
    class Cut extends Error {
      readonly code = 'PAYLOAD_TOO_LARGE';
    }
    async function* cutAfterRows(): AsyncGenerator<Buffer> {
      // Past the first 4 KiB, which are read ahead to find the delimiter: the cut reaches the parser.
      const rows = Array.from({ length: 200 }, (_, i) => `CSV-${i},GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,hotp,6,0,SHA1,,,\n`);
      yield Buffer.from(HEADER + rows.join(''));
      throw new Cut('cut');
    }
    await expect(parseAll(cutAfterRows(), csv)).rejects.toBeInstanceOf(Cut);
  });

  it('says what is wrong with a row the parser cannot read, without quoting it', async () => {
    await expect(parseAll(chunks(`${HEADER}CSV-1,GEZ"DGN",hotp\n`), csv)).rejects.toThrow('a quote opens a cell in its middle');
  });
});
