import { tokenSpecProblems, type TokenSpec } from '../tokens/token-spec.js';

export const SEED_FORMATS = ['pskc', 'csv', 'yubico-csv', 'otpauth'] as const;
export type SeedFormat = (typeof SEED_FORMATS)[number];

/** One token read from a seed file. `ref` says where: "line 12" or "key <Id>". */
export interface SeedEntry {
  ref: string;
  spec: TokenSpec;
  /** CSV only: the user the token is assigned to on import. */
  username?: string;
}

/** Why one entry of a file cannot be imported. Never carries key material. */
export interface SeedProblem {
  ref: string;
  reason: string;
}

export type SeedItem = { entry: SeedEntry } | { problem: SeedProblem };

export interface ParseOptions {
  format: SeedFormat;
  /** PSKC pre-shared key (the CLI's `--key`, given in hex). */
  key?: Buffer;
  /** PSKC password for a PBKDF2-derived key. */
  password?: string;
  /** Upper bound on entries in one file; more is a SeedFileError. Default MAX_SEED_ENTRIES. */
  maxEntries?: number;
}

/** A problem with the whole file: nothing in it can be trusted or read. */
export class SeedFileError extends Error {
  override readonly name = 'SeedFileError';
  /** 1-based line of the file where the problem was found, when known. */
  readonly line: number | undefined;

  constructor(reason: string, line?: number) {
    super(line === undefined ? reason : `line ${line}: ${reason}`);
    this.line = line;
  }
}

/** What a format parser yields: one item per entry, in file order, before the common checks. */
export type SeedParser = (input: AsyncIterable<Buffer | string>, options: ParseOptions) => AsyncIterable<SeedItem>;

/** Above the 100,000 a batch is expected to hold; bounds the memory of the duplicate check too. */
export const MAX_SEED_ENTRIES = 250_000;
/** CSV rows and otpauth URIs are short; a longer line is not a seed file. */
export const MAX_LINE_LENGTH = 8192;

export function problem(ref: string, reason: string): SeedItem {
  return { problem: { ref, reason } };
}

/**
 * Why one entry cannot be imported, gathered while it is read, so that a
 * report names everything wrong with a row at once.
 */
export class EntryReasons {
  private readonly reasons: string[] = [];
  private readonly failed: string[] = [];

  /** `field`: the TokenSpec field that could not be read, so its own check is not reported twice. */
  add(reason: string, field?: keyof TokenSpec): void {
    this.reasons.push(reason);
    if (field) this.failed.push(field);
  }

  get empty(): boolean {
    return this.reasons.length === 0;
  }

  /** The entry when nothing was wrong; else a problem with these reasons and the spec's other problems. */
  item(ref: string, spec: TokenSpec, username?: string): SeedItem {
    if (this.empty) return { entry: { ref, spec, ...(username ? { username } : {}) } };
    const others = tokenSpecProblems(spec).filter((reason) => !this.failed.some((field) => reason.startsWith(field)));
    return problem(ref, [...this.reasons, ...others].join('; '));
  }

  problem(ref: string): SeedItem {
    return problem(ref, this.reasons.join('; '));
  }
}

/**
 * A value from the file, for a reason. Anything longer than `max` is shown by
 * its length only: a cell in the wrong column may hold a secret, and the
 * default bound is below the length of any secret in base32 or hex.
 */
export function quote(value: string, max = 24): string {
  if (value.length > max) return `(a value of ${value.length} characters)`;
  return JSON.stringify(value.replace(/[\u0000-\u001f\u007f]/g, '?'));
}
