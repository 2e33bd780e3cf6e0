import { describe, expect, it } from 'vitest';
import { SeedFileError } from './seed-types.js';
import { chunks, fixture, fixtureText, hex, parseAll, SECRET_SHA1, SECRET_SHA256, SECRET_SHA512 } from './seed-testing.js';

const AES128_KEY = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
const AES256_KEY = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const PASSWORD = 'correct horse battery staple';
const pskc = { format: 'pskc' } as const;

/** The four keys every python-pskc fixture holds (make-pskc-fixtures.py), serials prefixed. */
async function expectFixtureKeys(file: string, prefix: string, options: { key?: Buffer; password?: string } = {}) {
  const { entries, problems } = await parseAll(fixture(file), { ...pskc, ...options });
  expect(problems).toEqual([]);
  expect(entries.map((e) => [e.ref, e.spec.serial])).toEqual([
    [`key ${prefix}-K1`, `${prefix}-HOTP`],
    [`key ${prefix}-K2`, `${prefix}-TOTP256`],
    [`key ${prefix}-K3`, `${prefix}-TOTP512`],
    [`key ${prefix}-NOSERIAL`, `${prefix}-NOSERIAL`],
  ]);
  const [hotp, totp256, totp512, noSerial] = entries.map((e) => e.spec);
  expect(hotp).toMatchObject({ type: 'hotp', algorithm: 'SHA1', digits: 6, counter: 5, vendor: 'python-pskc', model: 'fixture' });
  expect(totp256).toMatchObject({ type: 'totp', algorithm: 'SHA256', digits: 8, period: 30, drift: 0 });
  expect(totp512).toMatchObject({ type: 'totp', algorithm: 'SHA512', digits: 8, period: 60, drift: -2, model: null });
  expect(totp512?.description).toBe('SHA512 sixty seconds');
  expect(noSerial).toMatchObject({ type: 'hotp', counter: 42, vendor: null });
  expect([hotp, totp256, totp512, noSerial].map((s) => hex(s?.secret))).toEqual([SECRET_SHA1, SECRET_SHA256, SECRET_SHA512, SECRET_SHA1]);
}

describe('PSKC written by python-pskc', () => {
  it('reads plain secrets', () => expectFixtureKeys('pskc-plain.pskcxml', 'PLAIN'));
  it('decrypts AES-128-CBC with the pre-shared key, HMAC-SHA1 checked', () =>
    expectFixtureKeys('pskc-aes128.pskcxml', 'AES128', { key: AES128_KEY }));
  it('decrypts AES-256-CBC with HMAC-SHA256, encrypted counter and interval too', () =>
    expectFixtureKeys('pskc-aes256.pskcxml', 'AES256', { key: AES256_KEY }));
  it('derives the key from a password (PBKDF2, HMAC-SHA1 PRF)', () =>
    expectFixtureKeys('pskc-pbkdf2.pskcxml', 'PBKDF2', { password: PASSWORD }));
  it('derives the key with an HMAC-SHA256 PRF written as text', () =>
    expectFixtureKeys('pskc-pbkdf2-sha256.pskcxml', 'PBKDF2SHA256', { password: PASSWORD }));
  it('unwraps AES key wrap (kw-aes128)', () => expectFixtureKeys('pskc-kw-aes128.pskcxml', 'KWAES128', { key: AES128_KEY }));
  it('reads a file signed by pskctool, with its TimeDrift written unsigned', () =>
    expectFixtureKeys('pskctool-signed.pskcxml', 'PLAIN'));
  it('gives the same result one byte at a time', async () => {
    const whole = await parseAll(fixture('pskc-aes128.pskcxml'), { ...pskc, key: AES128_KEY });
    const bytewise = await parseAll(chunks(fixtureText('pskc-aes128.pskcxml'), 1), { ...pskc, key: AES128_KEY });
    expect(bytewise).toEqual(whole);
  });

  it('reads csv2pskc output (bare algorithm names, serial as the only id)', async () => {
    for (const [file, options] of [['csv2pskc.pskcxml', {}], ['csv2pskc-pbkdf2.pskcxml', { password: PASSWORD }]] as const) {
      const { entries, problems } = await parseAll(fixture(file), { ...pskc, ...options });
      expect(problems).toEqual([]);
      expect(entries.map((e) => [e.ref, e.spec.serial, e.spec.type, e.spec.digits, hex(e.spec.secret)])).toEqual([
        ['key package 1', 'CSV2PSKC-1', 'hotp', 6, SECRET_SHA1],
        ['key package 2', 'CSV2PSKC-2', 'totp', 8, SECRET_SHA1],
      ]);
      expect(entries[0]?.spec).toMatchObject({ counter: 7, vendor: 'oath.example' });
      expect(entries[1]?.spec.period).toBe(60);
    }
  });
});

describe('PSKC examples of RFC 6030', () => {
  it('Figure 2: a 4-byte secret is too short to import', async () => {
    const { entries, problems } = await parseAll(fixture('rfc6030-figure2.pskcxml'), pskc);
    expect(entries).toEqual([]);
    expect(problems).toEqual([{ ref: 'key 12345678', reason: 'secret must be 16-128 bytes, not 4' }]);
  });

  it('Figure 3: supplementary data, default namespace', async () => {
    const { entries } = await parseAll(fixture('rfc6030-figure3.pskcxml'), pskc);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.spec).toMatchObject({ serial: '987654321', type: 'hotp', digits: 8, counter: 0, vendor: 'Manufacturer' });
    expect(hex(entries[0]?.spec.secret)).toBe(SECRET_SHA1);
  });

  it('Figure 5: the PIN key package is an unknown algorithm, a problem of its own', async () => {
    const { items } = await parseAll(fixture('rfc6030-figure5.pskcxml'), pskc);
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ entry: { ref: 'key 12345678', spec: { serial: '987654321' } } });
    expect(items[1]).toEqual({
      problem: { ref: 'key 123456781', reason: 'unsupported algorithm "urn:ietf:params:xml:ns:keyprov:pskc:pin" (only HOTP and TOTP)' },
    });
  });

  it('Figure 6: AES-128-CBC with the pre-shared key 12345678901234567890123456789012', async () => {
    const key = Buffer.from('12345678901234567890123456789012', 'hex');
    const { entries } = await parseAll(fixture('rfc6030-figure6.pskcxml'), { ...pskc, key });
    expect(entries.map((e) => [e.spec.serial, hex(e.spec.secret)])).toEqual([['987654321', SECRET_SHA1]]);
  });

  it('Figure 7: PBKDF2 from the password "qwerty"', async () => {
    const { entries } = await parseAll(fixture('rfc6030-figure7.pskcxml'), { ...pskc, password: 'qwerty' });
    expect(entries.map((e) => [e.ref, e.spec.serial, e.spec.vendor, hex(e.spec.secret)])).toEqual([
      ['key 123456', '987654321', 'TokenVendorAcme', SECRET_SHA1],
    ]);
  });

  it('Figure 7 also opens with the derived key given as the pre-shared key', async () => {
    const key = Buffer.from('651e63cd57008476af1ff6422cd02e41', 'hex');
    const { entries } = await parseAll(fixture('rfc6030-figure7.pskcxml'), { ...pskc, key });
    expect(hex(entries[0]?.spec.secret)).toBe(SECRET_SHA1);
  });
});

describe('PSKC namespaces and key parameters', () => {
  const plain = fixtureText('pskc-plain.pskcxml');

  it('accepts any namespace prefix', async () => {
    const renamed = plain.replace(/<(\/?)pskc:/g, '<$1vendor:').replace('xmlns:pskc=', 'xmlns:vendor=');
    const { entries } = await parseAll(chunks(renamed), pskc);
    expect(entries.map((e) => e.spec.serial)).toEqual(['PLAIN-HOTP', 'PLAIN-TOTP256', 'PLAIN-TOTP512', 'PLAIN-NOSERIAL']);
  });

  it('makes unsupported key parameters problems of their entry only', async () => {
    const edited = plain
      .replace('<pskc:Suite>HMAC-SHA256</pskc:Suite>', '<pskc:Suite>HMAC-SHA384</pskc:Suite>')
      .replace('Encoding="DECIMAL" Length="6"/>', 'Encoding="HEXADECIMAL" Length="6"/>')
      .replace('<pskc:PlainValue>0</pskc:PlainValue>', '<pskc:PlainValue>1300000000</pskc:PlainValue>');
    const { items } = await parseAll(chunks(edited), pskc);
    expect(items.map((item) => ('problem' in item ? item.problem.reason : 'ok'))).toEqual([
      'unsupported response encoding "HEXADECIMAL" (only DECIMAL)',
      'unsupported hash "HMAC-SHA384" (SHA1, SHA256 or SHA512); a start time (<Time>) other than 0 is not supported',
      'ok',
      'ok',
    ]);
  });

  it('reports a package without a key and a key without a secret', async () => {
    const doc = `<KeyContainer Version="1.0"><KeyPackage><DeviceInfo><SerialNo>A</SerialNo></DeviceInfo></KeyPackage>
      <KeyPackage><Key Id="B" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:totp"/></KeyPackage></KeyContainer>`;
    const { problems } = await parseAll(chunks(doc), pskc);
    expect(problems).toEqual([
      { ref: 'key package 1', reason: 'the KeyPackage holds no <Key>' },
      { ref: 'key B', reason: 'secret is missing' },
    ]);
  });

  it('reports invalid base64 without repeating it', async () => {
    const doc = `<KeyContainer><KeyPackage><Key Id="B" Algorithm="hotp"><Data><Secret><PlainValue>c2VjcmV0!!</PlainValue></Secret>
      <Counter><PlainValue>ten</PlainValue></Counter></Data></Key></KeyPackage></KeyContainer>`;
    const { problems } = await parseAll(chunks(doc), pskc);
    expect(problems).toEqual([{ ref: 'key B', reason: 'Secret is not valid base64; Counter is not an integer' }]);
  });
});

describe('PSKC keys and MACs', () => {
  const aes128 = fixtureText('pskc-aes128.pskcxml');

  it('refuses an encrypted file without a key', async () => {
    await expect(parseAll(fixture('pskc-aes128.pskcxml'), pskc)).rejects.toThrow(
      'the file is encrypted ("Pre-shared AES-128"): give the pre-shared key to read it',
    );
    await expect(parseAll(fixture('pskc-pbkdf2.pskcxml'), pskc)).rejects.toThrow('give a password');
  });

  it.each([
    ['a wrong pre-shared key', 'pskc-aes128.pskcxml', { key: Buffer.alloc(16, 7) }],
    ['a wrong AES-256 key', 'pskc-aes256.pskcxml', { key: Buffer.alloc(32, 7) }],
    ['a wrong password', 'pskc-pbkdf2.pskcxml', { password: 'Tr0ub4dor&3' }],
    ['a wrong password (SHA256 PRF)', 'pskc-pbkdf2-sha256.pskcxml', { password: 'qwerty' }],
    ['a wrong key for key wrap', 'pskc-kw-aes128.pskcxml', { key: Buffer.alloc(16, 7) }],
    ['RFC 6030 Figure 7 with a wrong password', 'rfc6030-figure7.pskcxml', { password: 'azerty' }],
  ])('says the MAC did not match for %s', async (_, file, options) => {
    const error = await parseAll(fixture(file), { ...pskc, ...options }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeedFileError);
    expect((error as Error).message).toMatch(/^the MAC did not match: the pre-shared key or password is wrong/);
  });

  it('says which key length the algorithm needs', async () => {
    await expect(parseAll(fixture('pskc-aes256.pskcxml'), { ...pskc, key: AES128_KEY })).rejects.toThrow(
      'the key is 16 bytes but aes256-cbc needs 32',
    );
  });

  it('refuses a password for a file encrypted with a pre-shared key', async () => {
    await expect(parseAll(fixture('pskc-aes128.pskcxml'), { ...pskc, password: PASSWORD })).rejects.toThrow('not a password');
  });

  it('detects an altered ValueMAC', async () => {
    const macs = [...aes128.matchAll(/<pskc:ValueMAC>([^<]+)</g)].map((m) => m[1] as string);
    const altered = aes128.replace(macs[1] as string, macs[0] as string);
    await expect(parseAll(chunks(altered), { ...pskc, key: AES128_KEY })).rejects.toThrow(/^the MAC did not match/);
  });

  it('detects an altered ciphertext', async () => {
    const altered = aes128.replace(/(<pskc:Secret>\s*<pskc:EncryptedValue>[\s\S]*?<xenc:CipherValue>)(.)/, (_, head: string, c: string) =>
      head + (c === 'A' ? 'B' : 'A'),
    );
    await expect(parseAll(chunks(altered), { ...pskc, key: AES128_KEY })).rejects.toThrow(/^the MAC did not match/);
  });

  it('refuses CBC values without a MAC', async () => {
    const stripped = aes128.replace(/<pskc:ValueMAC>[^<]*<\/pskc:ValueMAC>/g, '');
    await expect(parseAll(chunks(stripped), { ...pskc, key: AES128_KEY })).rejects.toThrow('has no <ValueMAC>');
  });

  it('refuses an unsupported encryption algorithm', async () => {
    const tripleDes = aes128.replaceAll('xmlenc#aes128-cbc', 'xmlenc#tripledes-cbc');
    await expect(parseAll(chunks(tripleDes), { ...pskc, key: AES128_KEY })).rejects.toThrow(
      'unsupported encryption algorithm "http://www.w3.org/2001/04/xmlenc#tripledes-cbc"',
    );
  });
});
