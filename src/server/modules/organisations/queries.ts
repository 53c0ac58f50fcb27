import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Db } from '../../db/connect.js';
import type { Database } from '../../db/database.js';
import { inScope, likeContains, type Scope } from '../../db/scope.js';
import type { NewOrganisation, Organisation, OrganisationKind } from './tables.js';

export type OrganisationRow = Organisation & { region_name: string };

function selectOrganisations(db: Db) {
  return db
    .selectFrom('organisations as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .selectAll('o')
    .select('r.name as region_name');
}

export interface OrganisationFilter {
  /** Both must hold: the subtree asked for and the subtree the actor may see. */
  scopes: Scope[];
  kind?: OrganisationKind;
  text?: string;
}

export function findOrganisations(db: Db, filter: OrganisationFilter, page: { limit: number; offset: number }): Promise<OrganisationRow[]> {
  return selectOrganisations(db)
    .where((eb) => matching(eb, filter))
    .orderBy('o.region_path')
    .orderBy('o.name')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countOrganisations(db: Db, filter: OrganisationFilter): Promise<number> {
  const row = await db
    .selectFrom('organisations as o')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => matching(eb, filter))
    .executeTakeFirstOrThrow();
  return row.n;
}

function matching(eb: ExpressionBuilder<Database & { o: Database['organisations'] }, 'o'>, filter: OrganisationFilter) {
  const conditions: Expression<SqlBool>[] = filter.scopes.map((scope) => inScope('o.region_path', scope));
  if (filter.kind) conditions.push(eb('o.kind', '=', filter.kind));
  if (filter.text) conditions.push(eb('o.name', 'ilike', likeContains(filter.text)));
  return eb.and(conditions);
}

export function findOrganisationById(db: Db, id: string): Promise<OrganisationRow | undefined> {
  return selectOrganisations(db).where('o.id', '=', id).executeTakeFirst();
}

export function findOrganisationByName(db: Db, regionCode: string, name: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisations').selectAll().where('region_code', '=', regionCode).where('name', '=', name).executeTakeFirst();
}

export async function insertOrganisation(db: Db, org: NewOrganisation): Promise<string> {
  const row = await db.insertInto('organisations').values(org).returning('id').executeTakeFirstOrThrow();
  return row.id;
}
