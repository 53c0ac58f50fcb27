import type { Db } from '../../db/connect.js';
import type { FileRow, NewFile } from './tables.js';

export async function insertFile(db: Db, file: NewFile & { id: string }): Promise<FileRow> {
  return db.insertInto('files').values(file).returningAll().executeTakeFirstOrThrow();
}

export function findFileById(db: Db, id: string): Promise<FileRow | undefined> {
  return db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findFilesByIds(db: Db, ids: readonly string[]): Promise<FileRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('files').selectAll().where('id', 'in', ids).execute();
}

/** Locks the files for attaching, in id order so two attachers cannot deadlock. */
export function lockFilesByIds(db: Db, ids: readonly string[]): Promise<FileRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('files').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

export async function setFilesSubject(db: Db, ids: readonly string[], subject: { type: string; id: string }): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('files')
    .set({ subject_type: subject.type, subject_id: subject.id })
    .where('id', 'in', ids)
    .where('subject_type', 'is', null)
    .execute();
}

/**
 * Deletes up to `limit` unattached files created before the cut-off and returns them. Rows being
 * attached right now are locked by the attacher and skipped.
 */
export function deleteUnattachedFilesBefore(db: Db, before: Date, limit: number): Promise<Pick<FileRow, 'id' | 'has_thumbnail'>[]> {
  return db
    .deleteFrom('files')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('files')
        .select('id')
        .where('subject_type', 'is', null)
        .where('created_at', '<', before)
        .orderBy('created_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .where('subject_type', 'is', null)
    .returning(['id', 'has_thumbnail'])
    .execute();
}

/** Deletes one file row if it belongs to the subject (null: not attached to anything); true when gone. */
export async function deleteFileOfSubject(db: Db, id: string, subject: { type: string; id: string } | null): Promise<boolean> {
  let query = db.deleteFrom('files').where('id', '=', id);
  query = subject
    ? query.where('subject_type', '=', subject.type).where('subject_id', '=', subject.id)
    : query.where('subject_type', 'is', null);
  return (await query.returning('id').executeTakeFirst()) !== undefined;
}
