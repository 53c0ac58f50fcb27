import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Db } from '../../db/connect.js';
import type { Database } from '../../db/database.js';
import { likeContains } from '../../db/scope.js';
import type { NewTemplate, Template, TemplateCategory } from './tables.js';

/** A template with what the library shows beside it: its file and the publishing region. */
export type TemplateRow = Template & {
  file_name: string;
  file_size: number;
  file_mime: string;
  region_name: string;
};

function selectTemplates(db: Db) {
  return db
    .selectFrom('templates as t')
    .innerJoin('files as f', 'f.id', 't.file_id')
    .innerJoin('regions as r', 'r.code', 't.region_code')
    .selectAll('t')
    .select(['f.original_name as file_name', 'f.size as file_size', 'f.mime as file_mime', 'r.name as region_name']);
}

export interface TemplateFilter {
  category?: TemplateCategory;
  text?: string;
}

type Eb = ExpressionBuilder<Database & { t: Database['templates'] }, 't'>;

/** Live (not archived) templates matching the filter; the one predicate for list and count. */
function liveMatching(eb: Eb, filter: TemplateFilter) {
  const conditions: Expression<SqlBool>[] = [eb('t.archived_at', 'is', null)];
  if (filter.category) conditions.push(eb('t.category', '=', filter.category));
  if (filter.text) conditions.push(eb('t.title', 'ilike', likeContains(filter.text)));
  return eb.and(conditions);
}

export function findLiveTemplates(db: Db, filter: TemplateFilter, page: { limit: number; offset: number }): Promise<TemplateRow[]> {
  return selectTemplates(db)
    .where((eb) => liveMatching(eb, filter))
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countLiveTemplates(db: Db, filter: TemplateFilter): Promise<number> {
  const row = await db
    .selectFrom('templates as t')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => liveMatching(eb, filter))
    .executeTakeFirstOrThrow();
  return row.n;
}

export function findLiveTemplateById(db: Db, id: string): Promise<TemplateRow | undefined> {
  return selectTemplates(db).where('t.id', '=', id).where('t.archived_at', 'is', null).executeTakeFirst();
}

/** Locks a live template before it is archived, so two archivers write one audit entry. */
export function lockLiveTemplateById(db: Db, id: string): Promise<Template | undefined> {
  return db.selectFrom('templates').selectAll().where('id', '=', id).where('archived_at', 'is', null).forUpdate().executeTakeFirst();
}

export async function insertTemplate(db: Db, template: NewTemplate): Promise<string> {
  const row = await db.insertInto('templates').values(template).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** One more download, counted in the row itself so concurrent downloads never lose one. */
export async function incrementDownloads(db: Db, id: string): Promise<number | undefined> {
  const row = await db
    .updateTable('templates')
    .set((eb) => ({ downloads: eb('downloads', '+', 1) }))
    .where('id', '=', id)
    .where('archived_at', 'is', null)
    .returning('downloads')
    .executeTakeFirst();
  return row?.downloads;
}

export async function archiveTemplate(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('templates').set({ archived_at: at, updated_at: at }).where('id', '=', id).execute();
}
