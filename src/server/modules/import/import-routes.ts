import multipart, { type MultipartFile, type MultipartValue } from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { Type } from 'typebox';
import { TenantParams, OneOf } from '../../../contract/common.js';
import { ImportBatchPage, ImportBatchQuery, ImportReport, SEED_FORMATS, type ImportBatch } from '../../../contract/tokens.js';
import { AppError, assertThat, RateLimitedError } from '../../lib/app-error.js';
import type { Services, TenantContext } from '../../lib/context.js';
import { tenantContext } from '../../http/auth-hooks.js';
import { withProblems } from '../../http/route-schemas.js';
import { ImportRepository } from './import-repository.js';
import { pskcKeyFromHex } from './import-input.js';
import { SeedImport, type PreparedImport, type SeedImportOptions } from './seed-import.js';
import type { SeedFormat } from './seed-file.js';

const tags = ['HW tokens'];
const FIELDS = ['format', 'key', 'password'] as const;
/** Imports that may run at once in one server process. */
const MAX_RUNNING_IMPORTS = 2;
let running = 0;
/** Imports running in this process now (for tests). */
export const runningImports = (): number => running;
/** More than ten 4 KB fields, their part headers and boundaries, and the file part's headers take. */
const FORM_OVERHEAD = 64 * 1024;
type FieldName = (typeof FIELDS)[number];

const DESCRIPTION = [
  'Imports a seed file (SPEC §7): PSKC (plain, pre-shared AES key, or password), CSV, Yubico CSV, or otpauth:// URIs.',
  'All-or-nothing: any problem refuses the whole file with 422 IMPORT_INVALID, whose `errors` list every problem',
  '(`ref` is the line or key id; the first 1,000, then "… and N more"), and nothing is imported.',
  'The body is multipart/form-data: the optional text fields `format`, `key` and `password` must come before the file part `file`',
  '(one file): the file is parsed as it streams in, so the fields it needs must have arrived before it; a field after the file is refused (400).',
  'Without `format` the format is detected from the first KB of the file. `key` is the PSKC pre-shared key in hex;',
  '`password` derives the PSKC key with PBKDF2; give one of them, not both. A file over the import limit (HWT_IMPORT_LIMIT,',
  'default 50 MiB) answers 413 PAYLOAD_TOO_LARGE; any other content type answers 415. Refused imports are audited too.',
  'A server process runs two imports at once; a third answers 429 RATE_LIMITED until one is done.',
].join(' ');

const ImportForm = Type.Object({
  format: Type.Optional(OneOf(SEED_FORMATS, { description: 'Seed file format; detected from the content when left out' })),
  key: Type.Optional(Type.String({ description: 'PSKC pre-shared key, hex (32, 48 or 64 digits)' })),
  password: Type.Optional(Type.String({ description: 'PSKC password (PBKDF2)' })),
  file: Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'The seed file: the last part of the form' }),
});

// The form is read in the handler as it streams; the body schema only documents it.
const params = new Ajv({ coerceTypes: 'array', allErrors: true, strict: false });
const streamedBody: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  httpPart === 'body' ? () => true : params.compile(schema);

export interface ImportRouteOptions {
  /** Largest seed file in bytes. */
  importLimit: number;
}

/** When a refused import may try again: imports of large files take seconds. */
const IMPORT_RETRY_SECONDS = 10;

export function importRoutes(services: Services, options: ImportRouteOptions): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(multipart, {
      limits: { fileSize: options.importLimit, files: 1, fields: 10, parts: 11, fieldSize: 4096, headerPairs: 100 },
      throwFileSizeLimit: true,
    });

    app.post('/tenants/:tenant/hw-tokens/import', {
      schema: {
        tags, summary: 'Import a seed file (multipart/form-data; fields before the file)', description: DESCRIPTION,
        params: TenantParams, consumes: ['multipart/form-data'], body: ImportForm, response: withProblems({ 201: ImportReport }),
      },
      validatorCompiler: streamedBody,
    }, async (request, reply) => {
      const ctx = await tenantContext(request, services, 'hwtoken:import');
      assertThat(request.isMultipart(), 'UNSUPPORTED_MEDIA_TYPE', 'Send the seed file as multipart/form-data.');
      // Each import holds its prepared rows (about 1 KB a token) until it commits: a few at once, not any number.
      if (running >= MAX_RUNNING_IMPORTS) throw new RateLimitedError('Other seed files are being imported on this server; try again when they are done.', IMPORT_RETRY_SECONDS);
      running++;
      try {
        return reply.code(201).send(await importForm(request, ctx, options.importLimit));
      } finally {
        running--;
      }
    });

    app.get('/tenants/:tenant/import-batches', {
      schema: { tags, summary: 'Seed-file imports, newest first (filter the token list with batch=<id>)', params: TenantParams, querystring: ImportBatchQuery, response: withProblems({ 200: ImportBatchPage }) },
    }, async (request) => {
      const ctx = await tenantContext(request, services, 'hwtoken:read');
      const { rows, nextCursor } = await new ImportRepository(services.storage.db, services.storage.dialect, ctx.tenant.id).listBatches(request.query);
      const items: ImportBatch[] = rows.map((row) => ({
        id: row.id, fileName: row.file_name, format: row.format as SeedFormat, count: row.count,
        createdBy: row.created_by, createdAt: new Date(row.created_at).toISOString(),
      }));
      return { items, nextCursor };
    });
  };
}

/** Reads the form (fields, then the file) and imports the file. */
async function importForm(request: FastifyRequest, ctx: TenantContext, importLimit: number): Promise<ImportReport> {
  const importer = new SeedImport(ctx);
  // A body longer than the limit and the whole form around it cannot hold a file within the limit: refused unread.
  if (Number(request.headers['content-length'] ?? 0) > importLimit + FORM_OVERHEAD) {
    const error = tooLarge();
    await importer.refused('(not read)', undefined, error);
    throw error;
  }
  const fields = new Map<FieldName, string>();
  let prepared: PreparedImport | undefined;
  try {
    for await (const part of formParts(request)) {
      if (part.type === 'field') {
        assertThat(!prepared, 'VALIDATION_FAILED', `The field "${part.fieldname}" comes after the file: send format, key and password before the file part.`);
        readField(fields, part);
        continue;
      }
      if (part.fieldname !== 'file' || prepared) {
        part.file.resume();
        throw new AppError('VALIDATION_FAILED', 'Send one file part, named "file".');
      }
      prepared = await importer.prepare(fileChunks(part), part.filename ?? '', importOptions(fields));
    }
    assertThat(prepared, 'VALIDATION_FAILED', 'The form has no file part named "file".');
    return await importer.commit(prepared);
  } finally {
    // A form refused after its file was read leaves nothing behind.
    if (prepared) await importer.abandon(prepared);
  }
}

/**
 * The form's parts as they arrive. A body that is no multipart form (no
 * boundary, garbage, cut short between parts) is the client's mistake: 400, not a 500.
 */
async function* formParts(request: FastifyRequest): AsyncGenerator<MultipartFile | MultipartValue> {
  const parts = request.parts()[Symbol.asyncIterator]();
  const nextPart = async () => {
    try {
      return await parts.next();
    } catch (error) {
      // The plugin's own limits (too many parts or files) carry their status; the parser's complaints do not.
      throw error instanceof AppError || (error as { statusCode?: number }).statusCode ? error
        : new AppError('VALIDATION_FAILED', 'The body is not a well-formed multipart/form-data form; nothing was imported.');
    }
  };
  for (let next = await nextPart(); !next.done; next = await nextPart()) yield next.value;
}

function readField(fields: Map<FieldName, string>, part: MultipartValue): void {
  const name = part.fieldname as FieldName;
  // A part without a filename arrives as a field, whatever its name.
  assertThat(part.fieldname !== 'file', 'VALIDATION_FAILED', 'The file part has no filename: send it as a file (Content-Disposition: form-data; name="file"; filename="…").');
  assertThat(FIELDS.includes(name), 'VALIDATION_FAILED', `Unknown form field "${part.fieldname.slice(0, 40)}": the form takes ${FIELDS.join(', ')} and file.`);
  assertThat(!fields.has(name), 'VALIDATION_FAILED', `The field "${name}" is given twice.`);
  assertThat(!part.valueTruncated && typeof part.value === 'string', 'VALIDATION_FAILED', `The field "${name}" is too long.`);
  fields.set(name, part.value as string);
}

function importOptions(fields: Map<FieldName, string>): SeedImportOptions {
  const format = fields.get('format')?.trim() || undefined;
  assertThat(format === undefined || (SEED_FORMATS as readonly string[]).includes(format), 'VALIDATION_FAILED',
    `format must be one of ${SEED_FORMATS.join(', ')} (or left out to detect it).`);
  const keyText = fields.get('key')?.trim() || undefined;
  const password = fields.get('password') || undefined;
  assertThat(!(keyText && password), 'VALIDATION_FAILED', 'Give the PSKC key or the password, not both.');
  return {
    format: format as SeedFormat | undefined,
    key: keyText ? pskcKeyFromHex(keyText) : undefined,
    password,
  };
}

const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', 'The seed file is larger than the import limit; nothing was imported.');

/**
 * The file part as it streams in. A file cut at the size limit is refused
 * (413) as soon as the cut is seen; whatever the parser leaves unread is
 * drained, not destroyed, so that the request ends normally.
 */
async function* fileChunks(part: MultipartFile): AsyncGenerator<Buffer> {
  const { file } = part;
  let complete = false;
  const chunks = file.iterator({ destroyOnReturn: false });
  try {
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await chunks.next();
      } catch (error) {
        // The client went away or sent a broken form: not a server (or database) error.
        if (error instanceof AppError) throw error;
        throw new AppError('VALIDATION_FAILED', 'The upload ended before the file did; nothing was imported.');
      }
      if (file.truncated) throw tooLarge();
      if (next.done) break;
      yield next.value as Buffer;
    }
    complete = true;
  } finally {
    if (!complete) file.resume();
  }
}
