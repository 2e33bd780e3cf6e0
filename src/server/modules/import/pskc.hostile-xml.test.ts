/**
 * Threat: a seed file is XML from outside. A DTD can read local files or
 * reach the network (XXE) or expand entities until memory runs out (billion
 * laughs); malformed or truncated XML must not pass as a shorter file. Every
 * such file is refused as a whole, with a reason and, where known, a line.
 */
import { describe, expect, it } from 'vitest';
import { SeedFileError } from './seed-types.js';
import { chunks, fixture, fixtureText, parseAll } from './seed-testing.js';

const pskc = { format: 'pskc' } as const;

async function refusal(input: AsyncIterable<Buffer>): Promise<SeedFileError> {
  const error = await parseAll(input, pskc).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SeedFileError);
  return error as SeedFileError;
}

describe('hostile XML', () => {
  it('refuses a DOCTYPE with an external entity (XXE) before reading anything else', async () => {
    const error = await refusal(fixture('hostile-xxe.pskcxml'));
    expect(error.message).toBe('line 2: a DOCTYPE (DTD) is not accepted in a seed file');
    expect(error.line).toBe(2);
  });

  it('refuses the billion laughs', async () => {
    const error = await refusal(fixture('hostile-billion-laughs.pskcxml'));
    expect(error.message).toContain('DOCTYPE');
  });

  it('refuses a DOCTYPE split across chunks', async () => {
    const error = await refusal(chunks(fixtureText('hostile-xxe.pskcxml'), 3));
    expect(error.line).toBe(2);
  });

  it('refuses a DOCTYPE hidden behind a comment that looks like a tag', async () => {
    const doc = '<?xml version="1.0"?><!-- <a> --><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><KeyContainer>&e;</KeyContainer>';
    expect((await refusal(chunks(doc))).message).toContain('DOCTYPE');
  });

  it('never resolves an entity it does not know', async () => {
    const error = await refusal(fixture('hostile-entity-without-dtd.pskcxml'));
    expect(error.message).toMatch(/^line 4: not well-formed XML: undefined entity/);
  });

  it('refuses truncated XML, naming the line where it ends', async () => {
    const text = fixtureText('truncated.pskcxml');
    const error = await refusal(fixture('truncated.pskcxml'));
    expect(error.message).toMatch(/^line \d+: not well-formed XML: unclosed tag/);
    expect(error.line).toBe(text.split('\n').length);
  });

  it('refuses text that is not XML', async () => {
    expect((await refusal(fixture('not-xml.pskcxml'))).message).toBe('line 1: not an XML document');
    expect((await refusal(chunks(fixtureText('seeds.csv')))).message).toBe('line 1: not an XML document');
  });

  it('refuses an empty file', async () => {
    expect((await refusal(chunks(''))).message).toBe('the file holds no XML element');
    expect((await refusal(chunks('  \n'))).message).toBe('the file holds no XML element');
    expect((await refusal(chunks('<?xml version="1.0"?>\n<!-- nothing -->'))).message).toBe('the file holds no XML element');
  });

  it('refuses XML that is not PSKC', async () => {
    const error = await refusal(chunks('<?xml version="1.0"?>\n<html><body/></html>'));
    expect(error.message).toBe('line 2: not a PSKC document: the root element is <html>, not <KeyContainer>');
  });

  it('refuses another PSKC version', async () => {
    expect((await refusal(chunks('<KeyContainer Version="2.0"/>'))).message).toContain('unsupported PSKC version "2.0"');
  });

  it('refuses an encoding other than UTF-8', async () => {
    const doc = '<?xml version="1.0" encoding="ISO-8859-1"?><KeyContainer/>';
    expect((await refusal(chunks(doc))).message).toContain('only UTF-8 XML is accepted');
  });

  it('bounds nesting depth and text size', async () => {
    const deep = `<KeyContainer>${'<a>'.repeat(100)}${'</a>'.repeat(100)}</KeyContainer>`;
    expect((await refusal(chunks(deep))).message).toContain('elements nest deeper than');
    const big = `<KeyContainer><KeyPackage><DeviceInfo><SerialNo>${'x'.repeat(100_000)}</SerialNo></DeviceInfo></KeyPackage></KeyContainer>`;
    expect((await refusal(chunks(big, 8192))).message).toContain('more than 65536 characters');
  });

  it('refuses content after the root element', async () => {
    const error = await refusal(chunks('<KeyContainer></KeyContainer>\n<KeyContainer></KeyContainer>'));
    expect(error.message).toMatch(/^line 2: not well-formed XML/);
  });
});
