// A serving SQLite database checkpoints in a worker thread: what commits
// reaches the database file within about a second, although the server's own
// connection would wait for thousands of pages before checkpointing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../src/server/storage/db.js';
import { CHECKPOINTER_NICE_INCREMENT } from '../../src/server/storage/sqlite-checkpointer.js';

const dirs: string[] = [];
const storages: Storage[] = [];

function open(backgroundCheckpoints: boolean): { storage: Storage; file: string; errors: string[] } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwt-ckpt-'));
  dirs.push(dataDir);
  const errors: string[] = [];
  const storage = openStorage({ dataDir, backgroundCheckpoints: backgroundCheckpoints ? { onError: (m) => errors.push(m) } : undefined });
  storages.push(storage);
  return { storage, file: path.join(dataDir, 'hwtokens.db'), errors };
}

/** About 400 kB of new pages, all of them in the write-ahead log until a checkpoint. */
async function writePages(storage: Storage): Promise<void> {
  await sql`create table filler (id integer primary key, data blob)`.execute(storage.db);
  for (let i = 0; i < 100; i++) await sql`insert into filler (data) values (${Buffer.alloc(4000, i)})`.execute(storage.db);
}

async function sizeAfter(file: string, ms: number, until: (size: number) => boolean): Promise<number> {
  const deadline = Date.now() + ms;
  while (!until(fs.statSync(file).size) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return fs.statSync(file).size;
}

afterEach(async () => {
  for (const storage of storages.splice(0)) await storage.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('SQLite background checkpoints', () => {
  it('moves committed pages into the database file within seconds', async () => {
    const { storage, file, errors } = open(true);
    const before = fs.statSync(file).size;
    await writePages(storage);
    expect(await sizeAfter(file, 10_000, (size) => size > before + 400_000)).toBeGreaterThan(before + 400_000);
    expect(errors).toEqual([]);
  });

  it.runIf(process.platform === 'linux')('runs at a lower priority than the thread that serves requests', async () => {
    const niceOf = (stat: string) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    const threads = () => fs.readdirSync('/proc/self/task').map((id) => niceOf(fs.readFileSync(`/proc/self/task/${id}/stat`, 'utf8')));
    const serving = niceOf(fs.readFileSync('/proc/thread-self/stat', 'utf8'));
    const lowered = () => threads().filter((nice) => nice === Math.min(serving + CHECKPOINTER_NICE_INCREMENT, 19)).length;
    expect(lowered()).toBe(0);
    open(true);
    for (let i = 0; i < 50 && lowered() === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(lowered()).toBe(1);
    expect(niceOf(fs.readFileSync('/proc/thread-self/stat', 'utf8'))).toBe(serving);
  });

  it('leaves them in the log without a checkpointer (SQLite checkpoints at 1,000 pages)', async () => {
    const { storage, file } = open(false);
    const before = fs.statSync(file).size;
    await writePages(storage);
    expect(await sizeAfter(file, 1500, (size) => size > before + 400_000)).toBe(before);
  });

  it('stops with the storage: its connection closes too, so the last close folds the log away', async () => {
    const { storage, file } = open(true);
    await writePages(storage);
    await storage.close();
    storages.splice(0);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });
});
