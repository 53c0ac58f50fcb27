// Attachments: uploading (checked by content, photos re-encoded without metadata), attaching to
// a subject inside the caller's transaction, reading with an access check on every download, and
// clearing uploads that were never attached.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { inTransaction } from '../../db/transaction.js';
import { errors } from '../../errors.js';
import { requireActor, type Actor } from '../identity/access.js';
import { hitRateLimits } from '../limits/service.js';
import { canReadFile } from './access.js';
import { detectContent, processImage, type Detected } from './content.js';
import * as q from './queries.js';
import * as storage from './storage.js';
import type { FileRow } from './tables.js';

/** Uploads one person may make in an hour: enough for any report, not enough to fill a disk. */
export const UPLOADS_PER_HOUR = 300;
/** Unattached uploads older than this are deleted by deleteAbandonedUploads. */
export const ABANDONED_AFTER_HOURS = 24;
/** What multipart framing may add to the file itself (boundaries, part headers). */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Upload {
  /** The file's bytes as they arrive; read once, never held whole in memory. */
  stream: Readable;
  /** The name the client sent: cleaned and kept for the download header, nothing else. */
  filename: string;
}

export interface UploadRequest {
  /** The request's declared length, when it has one: too large is refused before reading. */
  declaredBytes: number | null;
  /** Starts reading the request body; undefined when it holds no file. */
  open(): Promise<Upload | undefined>;
}

/** A name safe for a Content-Disposition header: no folders, control or direction characters. */
export function cleanFileName(given: string, ext: string): string {
  const base = path.posix
    .basename(given.replaceAll('\\', '/'))
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f"*/:<>?\\|]/g, '')
    .replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .trim();
  const stem = base
    .replace(/\.[^.]*$/, '')
    .replace(/^\.+/, '')
    .slice(0, 100)
    .trim();
  return `${stem || 'file'}.${ext}`;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Streams the upload to a temporary file, counting and hashing; too large fails at once. */
async function receive(ctx: AppContext, upload: Upload): Promise<{ temp: string; size: number; sha256: string }> {
  const max = ctx.config.fileMaxBytes;
  const temp = await storage.newTempPath(ctx.config.filesDir);
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > max) return callback(errors.fileTooLarge({ maxBytes: max }));
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(upload.stream, meter, createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await storage.removeQuietly(temp);
    throw error;
  }
  return { temp, size, sha256: hash.digest('hex') };
}

async function storeImage(
  ctx: AppContext,
  temp: string,
): Promise<Omit<Parameters<typeof q.insertFile>[1], 'uploaded_by' | 'original_name'>> {
  let image;
  try {
    image = await processImage(temp);
  } catch {
    throw errors.fileTypeNotAllowed({ reason: 'image_not_readable' });
  }
  const id = randomUUID();
  await storage.writeInPlace(storage.originalPath(ctx.config.filesDir, id), image.data);
  await storage.writeInPlace(storage.thumbnailPath(ctx.config.filesDir, id), image.thumbnail);
  return {
    id,
    kind: 'image',
    mime: 'image/jpeg',
    size: image.data.length,
    sha256: sha256(image.data),
    width: image.width,
    height: image.height,
    has_thumbnail: true,
  };
}

/**
 * Takes one uploaded file from a signed-in person. Its type is judged by its bytes: photos are
 * re-encoded (JPEG, upright, ≤ 2560 px, no EXIF or GPS) with a thumbnail; PDF and Office
 * documents are kept as they are; anything else is refused, as is anything larger than
 * FILE_MAX_BYTES — in both cases nothing is kept. The file stays unattached (visible to its
 * uploader only) until attachFiles gives it a subject.
 */
export async function uploadFile(ctx: AppContext, actor: Actor | null, request: UploadRequest): Promise<FileRow> {
  const me = requireActor(actor);
  const max = ctx.config.fileMaxBytes;
  if (request.declaredBytes !== null && request.declaredBytes > max + MULTIPART_OVERHEAD_BYTES) {
    throw errors.fileTooLarge({ maxBytes: max });
  }
  await hitRateLimits(ctx.db, [{ key: `upload:user:${me.userId}`, max: UPLOADS_PER_HOUR, windowSeconds: 3600 }]);
  const upload = await request.open();
  if (!upload) throw errors.invalidRequest({ issues: [{ field: 'body.file', problem: 'must be a file' }] });

  return keep(ctx, ctx.db, await receive(ctx, upload), upload.filename, me.userId);
}

/**
 * Stores a file the server made itself (demo data, generated forms) under the same rules as an
 * upload: judged by its bytes, photos re-encoded, anything else refused. The row is written in
 * the caller's transaction; the file stays unattached until attachFiles gives it a subject.
 */
export async function storeGeneratedFile(
  ctx: AppContext,
  trx: Db,
  input: { buffer: Buffer; name: string; uploadedBy: string },
): Promise<FileRow> {
  if (input.buffer.length > ctx.config.fileMaxBytes) throw errors.fileTooLarge({ maxBytes: ctx.config.fileMaxBytes });
  const temp = await storage.newTempPath(ctx.config.filesDir);
  try {
    await writeFile(temp, input.buffer, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    await storage.removeQuietly(temp);
    throw error;
  }
  return keep(ctx, trx, { temp, size: input.buffer.length, sha256: sha256(input.buffer) }, input.name, input.uploadedBy);
}

/** Judges a received temporary file by its content, moves or re-encodes it into place and records it; the temporary file is gone afterwards. */
async function keep(
  ctx: AppContext,
  db: Db,
  received: { temp: string; size: number; sha256: string },
  filename: string,
  uploadedBy: string,
): Promise<FileRow> {
  let stored: Awaited<ReturnType<typeof storeImage>> | null = null;
  let detected: Detected | null = null;
  try {
    detected = await detectContent(received.temp);
    if (!detected) throw errors.fileTypeNotAllowed();
    if (detected.kind === 'image') {
      stored = await storeImage(ctx, received.temp);
    } else {
      const id = randomUUID();
      await storage.moveIntoPlace(received.temp, storage.originalPath(ctx.config.filesDir, id));
      stored = { id, kind: 'document', mime: detected.mime, size: received.size, sha256: received.sha256, width: null, height: null };
    }
    return await q.insertFile(db, {
      ...stored,
      uploaded_by: uploadedBy,
      original_name: cleanFileName(filename, detected.kind === 'image' ? 'jpg' : detected.ext),
    });
  } catch (error) {
    if (stored) {
      await storage.removeQuietly(storage.originalPath(ctx.config.filesDir, stored.id));
      await storage.removeQuietly(storage.thumbnailPath(ctx.config.filesDir, stored.id));
    }
    throw error;
  } finally {
    await storage.removeQuietly(received.temp);
  }
}

export interface Subject {
  /** What the files belong to, e.g. 'matter'; files/access.ts says who may then read them. */
  type: string;
  id: string;
}

/**
 * Attaches the actor's own unattached uploads to a subject, inside the caller's transaction
 * (the matter engine calls it with { type: 'matter', id }). Every id must name a file this
 * actor uploaded that is not attached yet, else nothing is attached: 400 file_not_attachable.
 */
export async function attachFiles(trx: Db, actor: Pick<Actor, 'userId'>, fileIds: readonly string[], subject: Subject): Promise<FileRow[]> {
  const ids = [...new Set(fileIds)];
  if (ids.length === 0) return [];
  if (!subject.type || subject.type.length > 40 || !subject.id || subject.id.length > 100) {
    throw errors.invalidRequest({ subject });
  }
  const malformed = ids.filter((id) => !UUID.test(id));
  if (malformed.length > 0) throw errors.fileNotAttachable({ fileIds: malformed });
  return inTransaction(trx, async (tx) => {
    const rows = new Map((await q.lockFilesByIds(tx, ids)).map((r) => [r.id, r]));
    const refused = ids.filter((id) => {
      const row = rows.get(id);
      return !row || row.uploaded_by !== actor.userId || row.subject_type !== null;
    });
    if (refused.length > 0) throw errors.fileNotAttachable({ fileIds: refused });
    await q.setFilesSubject(tx, ids, subject);
    return ids.flatMap((id) => {
      const row = rows.get(id);
      return row ? [{ ...row, subject_type: subject.type, subject_id: subject.id }] : [];
    });
  });
}

/** The files with these ids, in the order asked for (unknown ids are left out). No access check: for presenting a subject the caller already may read. */
export async function loadFiles(db: Db, ids: readonly string[]): Promise<FileRow[]> {
  const wanted = [...new Set(ids)].filter((id) => UUID.test(id));
  const rows = new Map((await q.findFilesByIds(db, wanted)).map((r) => [r.id, r]));
  return wanted.flatMap((id) => rows.get(id) ?? []);
}

export interface FileDownload {
  file: FileRow;
  variant: 'original' | 'thumbnail';
  path: string;
  mime: string;
  size: number;
}

/**
 * A file (or its thumbnail) for someone who may read it. A file they may not read is reported
 * as missing, like one that does not exist, so ids cannot be probed.
 */
export async function openFile(ctx: AppContext, actor: Actor | null, id: string, variant: FileDownload['variant']): Promise<FileDownload> {
  const me = requireActor(actor);
  const file = await q.findFileById(ctx.db, id);
  if (!file || !(await canReadFile(ctx, me, file))) throw errors.fileNotFound({ id });
  return downloadOf(ctx, file, variant);
}

/** The stored bytes of a file the caller has already been allowed to read. */
export async function downloadOf(
  ctx: Pick<AppContext, 'config' | 'log'>,
  file: FileRow,
  variant: FileDownload['variant'],
): Promise<FileDownload> {
  const { id } = file;
  if (variant === 'thumbnail' && !file.has_thumbnail) throw errors.fileNotFound({ id, variant });
  const where = variant === 'thumbnail' ? storage.thumbnailPath(ctx.config.filesDir, id) : storage.originalPath(ctx.config.filesDir, id);
  const info = await stat(where).catch(() => null);
  if (!info?.isFile()) {
    ctx.log.error({ fileId: id, variant }, 'file row without its bytes on disk');
    throw errors.fileNotFound({ id });
  }
  return { file, variant, path: where, mime: variant === 'thumbnail' ? 'image/jpeg' : file.mime, size: info.size };
}

/** Removes a file's stored bytes and thumbnail (after its row is gone); missing ones are fine. */
export async function removeFileBytes(ctx: Pick<AppContext, 'config'>, id: string): Promise<void> {
  await storage.removeQuietly(storage.originalPath(ctx.config.filesDir, id));
  await storage.removeQuietly(storage.thumbnailPath(ctx.config.filesDir, id));
}

/**
 * Deletes one file's row if it belongs to the subject (null: an upload not attached yet); the
 * caller removes the bytes with removeFileBytes once its transaction has committed.
 */
export function deleteFileRow(db: Db, id: string, subject: Subject | null): Promise<boolean> {
  return q.deleteFileOfSubject(db, id, subject);
}

/**
 * Deletes uploads never attached within ABANDONED_AFTER_HOURS, rows and bytes, and temporary
 * files left by interrupted uploads. Safe to run from several processes at once; meant for a
 * scheduled job (e.g. hourly).
 */
export async function deleteAbandonedUploads(
  ctx: Pick<AppContext, 'db' | 'config'>,
  now = new Date(),
): Promise<{ files: number; tempFiles: number }> {
  const before = new Date(now.getTime() - ABANDONED_AFTER_HOURS * 3600_000);
  let files = 0;
  for (;;) {
    const deleted = await q.deleteUnattachedFilesBefore(ctx.db, before, 500);
    for (const row of deleted) await removeFileBytes(ctx, row.id);
    files += deleted.length;
    if (deleted.length < 500) break;
  }
  const tempFiles = await storage.removeStaleTempFiles(ctx.config.filesDir, before);
  return { files, tempFiles };
}
