// Where the bytes live: FILES_DIR/<first two hex digits of the id>/<id>, the thumbnail beside it
// as <id>.thumb. Names come from our ids only, never from anything a user sent. Uploads are
// written to FILES_DIR/tmp first and renamed into place, so a half-written file is never served.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

const ID = /^[0-9a-f-]{36}$/;

function stored(filesDir: string, id: string, suffix: '' | '.thumb'): string {
  if (!ID.test(id)) throw new Error('a file id must be a uuid');
  return path.join(filesDir, id.slice(0, 2), `${id}${suffix}`);
}

export function originalPath(filesDir: string, id: string): string {
  return stored(filesDir, id, '');
}

export function thumbnailPath(filesDir: string, id: string): string {
  return stored(filesDir, id, '.thumb');
}

export function tempDir(filesDir: string): string {
  return path.join(filesDir, 'tmp');
}

/** A fresh path in the temporary folder (created when missing). */
export async function newTempPath(filesDir: string): Promise<string> {
  const dir = tempDir(filesDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return path.join(dir, `${randomUUID()}.part`);
}

/** Moves a finished temporary file to its place (same file system, so the rename is atomic). */
export async function moveIntoPlace(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
  await rename(from, to);
}

export async function writeInPlace(to: string, data: Buffer): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
  const temp = `${to}.${randomUUID()}.part`;
  await writeFile(temp, data, { mode: 0o600 });
  await rename(temp, to);
}

/** Removes a file; one that is already gone is fine. */
export async function removeQuietly(file: string): Promise<void> {
  await rm(file, { force: true });
}

/** Temporary files older than the cut-off: left by an upload that crashed the process. */
export async function removeStaleTempFiles(filesDir: string, before: Date): Promise<number> {
  const dir = tempDir(filesDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let removed = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info && info.mtime < before) {
      await removeQuietly(file);
      removed += 1;
    }
  }
  return removed;
}
