import { describe, expect, it } from 'vitest';
import { chunks, fixture, hex, parseAll, SECRET_SHA1 } from './seed-testing.js';

const yubico = { format: 'yubico-csv' } as const;

/** Yubico OTP test vectors (developers.yubico.com/OTP/Specifications/Test_vectors.html). */
const VECTOR_1 = { privateId: '010203040506', aesKey: '000102030405060708090a0b0c0d0e0f' };
const VECTOR_2 = { privateId: '888888888888', aesKey: '88888888888888888888888888888888' };
const VECTOR_3 = { privateId: '33c69e7f249e', aesKey: 'c4422890653076cde73d449b191b416a' };

function keys(spec: { publicId?: string; privateId?: Buffer; aesKey?: Buffer } | undefined) {
  return { publicId: spec?.publicId, privateId: hex(spec?.privateId), aesKey: hex(spec?.aesKey) };
}

describe('YubiKey personalization tool logs', () => {
  it('reads the traditional layout: Yubico OTP and OATH-HOTP rows', async () => {
    const { entries, problems } = await parseAll(fixture('yubico-traditional.csv', 100), yubico);
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.ref, e.spec.serial, e.spec.type])).toEqual([
      ['line 2', 'cccjgjgkhcbb', 'yubico'],
      ['line 3', 'cccccccccccb', 'yubico'],
      ['line 4', 'ubhe00000001', 'hotp'],
    ]);
    expect(keys(entries[0]?.spec)).toEqual({ publicId: 'cccjgjgkhcbb', ...VECTOR_1 });
    expect(keys(entries[1]?.spec)).toEqual({ publicId: 'cccccccccccb', ...VECTOR_2 });
    expect(entries[0]?.spec).toMatchObject({ vendor: 'Yubico', model: 'YubiKey' });
    expect(entries[2]?.spec).toMatchObject({ digits: 6, counter: 0, algorithm: 'SHA1' });
    expect(hex(entries[2]?.spec.secret)).toBe(SECRET_SHA1);
  });

  it('counts cells from the end when the local time holds commas; other modes and duplicates are problems', async () => {
    const { items } = await parseAll(fixture('yubico-traditional-mixed.csv'), yubico);
    expect(items).toHaveLength(3);
    expect(items[0]).toMatchObject({ entry: { ref: 'line 2', spec: { serial: 'vvccccdddddd', publicId: 'vvccccdddddd' } } });
    expect('entry' in items[0]! && keys(items[0].entry.spec)).toEqual({ publicId: 'vvccccdddddd', ...VECTOR_3 });
    expect(items[1]).toEqual({
      problem: { ref: 'line 3', reason: 'a "Static Password" configuration is neither Yubico OTP nor OATH-HOTP and cannot be imported' },
    });
    expect(items[2]).toEqual({ problem: { ref: 'line 4', reason: 'duplicate serial "vvccccdddddd" (first at line 2)' } });
  });

  it('reads the Yubico layout, whose serial is the YubiKey serial number', async () => {
    const { entries, problems } = await parseAll(fixture('yubico-format.csv'), yubico);
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.ref, e.spec.serial, e.spec.publicId])).toEqual([
      ['line 1', '1234567', 'cccjgjgkhcbb'],
      ['line 2', '1234568', 'cccccccccccb'],
    ]);
    expect(keys(entries[1]?.spec)).toMatchObject(VECTOR_2);
  });

  it('reads the short form with a header row', async () => {
    const { entries, problems } = await parseAll(fixture('yubico-simple.csv'), yubico);
    expect(problems).toEqual([]);
    expect(entries.map((e) => keys(e.spec))).toEqual([
      { publicId: 'cccjgjgkhcbb', ...VECTOR_1 },
      { publicId: 'vvccccdddddd', ...VECTOR_3 },
    ]);
  });

  it('converts a public id written in hex and a private id written in modhex', async () => {
    const { entries } = await parseAll(chunks('SER1,0000000b,cccccbcdcfcg,000102030405060708090a0b0c0d0e0f\n'), yubico);
    expect(entries.map((e) => [e.spec.serial, e.spec.publicId, hex(e.spec.privateId)])).toEqual([['SER1', 'cccccccn', '000001020405']]);
  });

  it('makes bad rows problems without repeating keys', async () => {
    const text = [
      'cccjgjgkhcbb,0102030405,000102030405060708090a0b0c0d0e0f',
      'cccjgjgkhcbc,010203040506,0001020304050607zz090a0b0c0d0e0f',
      'just,two',
      'Challenge-Response: HMAC-SHA1,12/11/2013 11:21,2,,,3132333435363738393031323334353637383930,,,0,0,0,0,0,0,0,0,0,0',
    ].join('\n');
    const { problems } = await parseAll(chunks(text), yubico);
    expect(problems).toEqual([
      { ref: 'line 1', reason: 'privateId must be 6 bytes (12 hex digits)' },
      { ref: 'line 2', reason: 'aesKey: invalid hex character at position 17' },
      { ref: 'line 3', reason: 'not a YubiKey configuration log row (2 cells)' },
      {
        ref: 'line 4',
        reason: 'a "Challenge-Response: HMAC-SHA1" configuration is neither Yubico OTP nor OATH-HOTP and cannot be imported',
      },
    ]);
  });
});
