/**
 * SPEC §7: 100,000 tokens import in seconds with bounded memory. The file is
 * generated on the fly (never held whole in memory, never checked in); time
 * and heap growth are logged, not asserted, as they depend on the machine.
 */
import { describe, expect, it } from 'vitest';
import { parseSeedFile } from './seed-file.js';

const KEYS = 100_000;
const SECRET = Buffer.from('12345678901234567890').toString('base64');

async function* generatedPskc(count: number): AsyncGenerator<Buffer> {
  yield Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<pskc:KeyContainer Version="1.0" xmlns:pskc="urn:ietf:params:xml:ns:keyprov:pskc">\n');
  let batch = '';
  for (let i = 1; i <= count; i++) {
    const serial = `GEN${String(i).padStart(7, '0')}`;
    batch += ` <pskc:KeyPackage>
  <pskc:DeviceInfo><pskc:Manufacturer>Generator</pskc:Manufacturer><pskc:SerialNo>${serial}</pskc:SerialNo><pskc:Model>G1</pskc:Model></pskc:DeviceInfo>
  <pskc:Key Id="${serial}" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:${i % 2 ? 'hotp' : 'totp'}">
   <pskc:AlgorithmParameters><pskc:ResponseFormat Length="6" Encoding="DECIMAL"/></pskc:AlgorithmParameters>
   <pskc:Data><pskc:Secret><pskc:PlainValue>${SECRET}</pskc:PlainValue></pskc:Secret><pskc:Counter><pskc:PlainValue>0</pskc:PlainValue></pskc:Counter></pskc:Data>
  </pskc:Key>
 </pskc:KeyPackage>\n`;
    if (batch.length > 64 * 1024) {
      yield Buffer.from(batch);
      batch = '';
    }
  }
  yield Buffer.from(`${batch}</pskc:KeyContainer>\n`);
}

describe('a large PSKC file', () => {
  it(`streams ${KEYS.toLocaleString('en')} key packages`, async () => {
    globalThis.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = heapBefore;
    const started = performance.now();
    let entries = 0;
    let problems = 0;
    for await (const item of parseSeedFile(generatedPskc(KEYS), { format: 'pskc' })) {
      if ('entry' in item) entries++;
      else problems++;
      if (entries % 10_000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
    const seconds = (performance.now() - started) / 1000;
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    console.log(
      `PSKC ${KEYS} keys: ${seconds.toFixed(2)} s, heap ${mb(heapBefore)} MB before, peak ${mb(peakHeap)} MB ` +
        `(+${mb(peakHeap - heapBefore)} MB, includes garbage not yet collected)`,
    );
    expect(problems).toBe(0);
    expect(entries).toBe(KEYS);
  }, 120_000);
});
