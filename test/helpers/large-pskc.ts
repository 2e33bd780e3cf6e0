import crypto from 'node:crypto';
import fs from 'node:fs';

/**
 * A plain PSKC file (RFC 6030) of `count` keys with random secrets, as a
 * vendor ships it: odd ones HOTP, even ones TOTP, serials `prefix` + seven
 * digits. Written in chunks, so that a file of 100,000 keys needs little memory.
 */
export async function writePlainPskc(file: string, count: number, options: { prefix: string; manufacturer: string }): Promise<void> {
  const out = fs.createWriteStream(file);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  await write('<?xml version="1.0" encoding="UTF-8"?>\n<KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc">\n');
  let chunk = '';
  for (let i = 1; i <= count; i++) {
    const serial = `${options.prefix}${String(i).padStart(7, '0')}`;
    const totp = i % 2 === 0;
    const secret = crypto.randomBytes(20).toString('base64');
    chunk += ` <KeyPackage>
  <DeviceInfo><Manufacturer>${options.manufacturer}</Manufacturer><SerialNo>${serial}</SerialNo><Model>${totp ? 'T' : 'H'}1</Model></DeviceInfo>
  <Key Id="${serial}" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:${totp ? 'totp' : 'hotp'}">
   <AlgorithmParameters><ResponseFormat Length="6" Encoding="DECIMAL"/></AlgorithmParameters>
   <Data><Secret><PlainValue>${secret}</PlainValue></Secret>${totp ? '<TimeInterval><PlainValue>30</PlainValue></TimeInterval>' : '<Counter><PlainValue>0</PlainValue></Counter>'}</Data>
  </Key>
 </KeyPackage>\n`;
    if (chunk.length > 256 * 1024) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(`${chunk}</KeyContainer>\n`);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}
