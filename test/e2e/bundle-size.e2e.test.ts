// The console's first load (the page, its entry script, the chunks it
// preloads and its style sheets) stays under 300 kB gzipped.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CONSOLE_DIST } from './paths.js';

const BUDGET = 300 * 1024;

describe('console bundle', () => {
  it('loads in under 300 kB gzipped, with no inline script', () => {
    const html = readFileSync(path.join(CONSOLE_DIST, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(1);
    const sizes = Object.fromEntries(
      [...assets, '/index.html'].map((asset) => [asset, gzipSync(readFileSync(path.join(CONSOLE_DIST, asset))).length]),
    );
    const total = Object.values(sizes).reduce((sum, size) => sum + size, 0);
    console.log(`first load: ${(total / 1024).toFixed(1)} kB gzipped`, sizes);
    expect(total).toBeLessThan(BUDGET);
  });

  it('never evaluates strings as code (a CSP without unsafe-eval holds)', () => {
    const html = readFileSync(path.join(CONSOLE_DIST, 'index.html'), 'utf8');
    const entry = html.match(/src="(\/assets\/[^"]+\.js)"/)![1]!;
    const scripts = [...html.matchAll(/href="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!).concat(entry);
    for (const script of scripts) {
      const code = readFileSync(path.join(CONSOLE_DIST, script), 'utf8');
      expect(code, script).not.toMatch(/\bnew Function\(|\beval\(/);
    }
  });
});
