// SQL of the matter engine's write path: the row, its timeline, and look-ups the rules need.
import { sql, type SqlBool } from 'kysely';
import type { Db } from '../../db/connect.js';
import { insertRow, raw, runStatement, setList, sql as text, type Sql } from '../../db/statement.js';
import type { FoldEvent, MatterState } from './fold.js';
import type { Matter, MatterEvent } from './tables.js';

export interface Contact {
  contact_name: string | null;
  contact_phone_cipher: string | null;
  contact_phone_index: string | null;
  contact_phone_masked: string | null;
}

function stateValues(state: MatterState) {
  return { ...state, payload: JSON.stringify(state.payload) };
}

/**
 * Inserts a new matter; returns its id, the number the database gives it and who raised it (the
 * rest is what was written). `raiser`: who raised it is found by the insert itself (raiserByPhone).
 */
export function insertMatterQuery(state: MatterState, contact: Contact, isDemo = false, raiser?: Sql): Sql {
  const row = { ...stateValues(state), ...contact, is_demo: isDemo, ...(raiser ? { raised_by: raiser } : {}) };
  return text`${insertRow('matters', row)} returning id, number, raised_by`;
}

/** The active account with this phone number, if any, as a value of the statement that needs it. */
export function raiserByPhone(phoneIndex: string): Sql {
  return text`(select id from users where phone_index = ${phoneIndex} and status = 'active')`;
}

/**
 * Writes the columns that changed from `before` to `after`, only if nobody else moved the matter
 * on since `before.version`; returns the id when it did.
 */
export function updateMatterChangesQuery(before: MatterState, after: MatterState): Sql {
  const changes: Record<string, unknown> = {};
  const next = stateValues(after) as Record<string, unknown>;
  const prev = stateValues(before) as Record<string, unknown>;
  for (const [key, value] of Object.entries(next)) {
    if (key !== 'id' && !sameValue(value, prev[key])) changes[key] = value;
  }
  return text`update matters set ${setList(changes)} where id = ${after.id} and version = ${before.version} returning id`;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

/** Writes the new state only if nobody else moved the matter on since `expectedVersion`; the row after, or undefined. */
export function updateMatterState(db: Db, state: MatterState, expectedVersion: number): Promise<Matter | undefined> {
  const { id, ...rest } = stateValues(state);
  return db.updateTable('matters').set(rest).where('id', '=', id).where('version', '=', expectedVersion).returningAll().executeTakeFirst();
}

export interface NewEvent extends FoldEvent {
  actor_id: string | null;
  actor_role: string | null;
  actor_org_id: string | null;
  from_status: string | null;
  note: string | null;
  files: string[];
}

/** `raiserFromMain`: the event's raisedBy is who the matter insert of the same statement found. */
export function insertEventQuery(event: NewEvent, raiserFromMain = false): Sql {
  const data = raiserFromMain
    ? text`(${JSON.stringify(event.data)}::jsonb || jsonb_build_object('raisedBy', (select raised_by from main)))`
    : JSON.stringify(event.data);
  return insertRow('matter_events', { ...event, data, files: JSON.stringify(event.files) });
}

export async function insertEvent(db: Db, event: NewEvent): Promise<void> {
  await runStatement(db, insertEventQuery(event), 'matter_event');
}

/** Read before every step and for every matter page: a named statement. */
export async function findMatterById(db: Db, id: string): Promise<Matter | undefined> {
  return (await runStatement<Matter>(db, text`select * from matters where id = ${id}`, 'matter'))[0];
}

export function findEvents(db: Db, matterId: string): Promise<MatterEvent[]> {
  return db.selectFrom('matter_events').selectAll().where('matter_id', '=', matterId).orderBy('seq').execute();
}

/** The organisations the person works for, through their grants. */
export async function findUserOrganisationIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('role_grants')
    .select('organisation_id')
    .where('user_id', '=', userId)
    .where('organisation_id', 'is not', null)
    .execute();
  return rows.map((r) => r.organisation_id as string);
}

/** People who work for an organisation (anyone with a grant for it), active accounts only. */
export async function findOrganisationMemberIds(db: Db, organisationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select('g.user_id')
    .distinct()
    .where('g.organisation_id', '=', organisationId)
    .where('u.status', '=', 'active')
    .execute();
  return rows.map((r) => r.user_id);
}

export function findOrganisationBrief(
  db: Db,
  id: string,
): Promise<{ id: string; name: string; region_path: string; district_code: string | null; parent_id: string | null } | undefined> {
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'region_path', 'district_code', 'parent_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The street-level ancestor of a region (its own code when it is a street), for the ledger index. */
export async function findRegionPlacement(
  db: Db,
  code: string,
): Promise<
  | { code: string; path: string; district_code: string | null; level: string; street_code: string | null; name: string; ancestors: RegionAncestor[] }
  | undefined
> {
  return db
    .selectFrom('regions as r')
    .select([
      'r.code',
      'r.path',
      'r.district_code',
      'r.level',
      'r.name',
      'r.ancestors',
      sql<string | null>`case when r.level = 'street' then r.code
        else (select a.code from regions a where a.level = 'street' and r.path <@ a.path limit 1) end`.as('street_code'),
    ])
    .where('r.code', '=', code)
    .where('r.kind', '=', 'admin')
    .executeTakeFirst();
}

export async function lockMatter(db: Db, id: string): Promise<Matter | undefined> {
  return db.selectFrom('matters').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** A timeline entry with the names of who acted and for which organisation. */
export type TimelineEvent = Omit<MatterEvent, 'id'> & { actorName: string | null; actorOrgName: string | null };

/** What a matter's page shows besides its row: the timeline and the names next to ids. */
export interface Timeline {
  events: TimelineEvent[];
  names: { region: string; ownerOrg: string | null; ownerUser: string | null };
}

type TimelineMatter = Pick<Matter, 'id' | 'region_code' | 'owner_org_id' | 'owner_user_id'>;
type StepActor = Pick<NewEvent, 'actor_id' | 'actor_org_id'>;

/**
 * The timeline with the names of who acted and for which organisation, and the names the matter's
 * page shows (its region's chain, the owner), as one JSON value. Given a step, also the names of
 * its actor: read inside the step's own statement (db/together.ts `read`), it sees the timeline as
 * it stood before the step, and timelineAfterStep adds the step's event.
 */
export function timelineRead(matter: TimelineMatter, step: StepActor | null = null): Sql {
  const actor = step
    ? text`, 'actor_name', (select au.display_name from users au where au.id = ${step.actor_id}::uuid),
        'actor_org_name', (select ao.name from organisations ao where ao.id = ${step.actor_org_id}::uuid)`
    : raw('');
  return text`select json_build_object(
    'events', coalesce((select json_agg(t order by t.seq) from (
        select e.matter_id, e.seq, e.type, e.actor_id, e.actor_role, e.actor_org_id, e.from_status, e.to_status, e.note, e.data, e.files, e.at,
          u.display_name as "actorName", o.name as "actorOrgName"
        from matter_events e left join users u on u.id = e.actor_id left join organisations o on o.id = e.actor_org_id
        where e.matter_id = ${matter.id}::uuid) t), '[]'::json),
    'region_name', (select r.name from regions r where r.code = ${matter.region_code}::text),
    'region_ancestors', (select r.ancestors from regions r where r.code = ${matter.region_code}::text),
    'owner_org', (select oo.name from organisations oo where oo.id = ${matter.owner_org_id}::uuid),
    'owner_user', (select ou.display_name from users ou where ou.id = ${matter.owner_user_id}::uuid)${actor})`;
}

interface TimelineJson {
  events: (Omit<TimelineEvent, 'at'> & { at: string })[];
  region_name: string | null;
  region_ancestors: RegionAncestor[] | null;
  owner_org: string | null;
  owner_user: string | null;
  actor_name?: string | null;
  actor_org_name?: string | null;
}

type RegionAncestor = { name: string; level: string };

/** How a matter's page names its region: the chain below the city (鲤城区 / 海滨街道). */
export function regionChainName(name: string | null, ancestors: RegionAncestor[] | null): string {
  return name ? [...(ancestors ?? []).filter((a) => a.level !== 'city').map((a) => a.name), name].join(' / ') : '';
}

function timelineFrom(read: unknown): Timeline {
  const r = read as TimelineJson;
  return {
    events: r.events.map((e) => ({ ...e, at: new Date(e.at) })),
    names: { region: regionChainName(r.region_name, r.region_ancestors), ownerOrg: r.owner_org, ownerUser: r.owner_user },
  };
}

/** A matter's timeline and names (timelineRead), read after every step and for every matter page. */
export async function findTimelineWithNames(db: Db, matter: TimelineMatter): Promise<Timeline> {
  const [row] = await runStatement<{ nx_read: unknown }>(db, text`select (${timelineRead(matter)}) as nx_read`, 'timeline');
  return timelineFrom(row?.nx_read);
}

/** The timeline after a step, from what its statement read (timelineRead with the step) and the step's event. */
export function timelineAfterStep(read: unknown, event: NewEvent): Timeline {
  const { events, names } = timelineFrom(read);
  const r = read as TimelineJson;
  return { events: [...events, stepEvent(event, r.actor_name ?? null, r.actor_org_name ?? null)], names };
}

/** A step's event as the timeline shows it, with the names of who acted. */
export function stepEvent(event: NewEvent, actorName: string | null, actorOrgName: string | null): TimelineEvent {
  // As the database keeps it: JSON, so the answer shows what a later read of the timeline will.
  return { ...event, data: JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>, actorName, actorOrgName };
}

export async function findPeopleNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export async function findOrganisationNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Organisations that may own a matter of this region (an office above it, or one inside the same
 * district — the rule effects.ts applies), with the people who work for each.
 */
export async function findOwnerCandidates(db: Db, matter: Pick<Matter, 'region_path' | 'district_code'>) {
  const orgs = await db
    .selectFrom('organisations as o')
    .select(['o.id', 'o.name', 'o.kind', 'o.region_code'])
    .where((eb) =>
      eb.or([
        sql<SqlBool>`${matter.region_path}::ltree <@ o.region_path`,
        ...(matter.district_code ? [eb('o.district_code', '=', matter.district_code)] : []),
      ]),
    )
    .orderBy('o.kind')
    .orderBy('o.name')
    .limit(300)
    .execute();
  const members = orgs.length
    ? await db
        .selectFrom('role_grants as g')
        .innerJoin('users as u', 'u.id', 'g.user_id')
        .select(['g.organisation_id', 'u.id', 'u.display_name', 'g.role'])
        .where(
          'g.organisation_id',
          'in',
          orgs.map((o) => o.id),
        )
        .where('u.status', '=', 'active')
        .orderBy('u.display_name')
        .execute()
    : [];
  return orgs.map((o) => ({
    ...o,
    members: members.filter((m) => m.organisation_id === o.id).map((m) => ({ id: m.id, name: m.display_name, role: m.role })),
  }));
}

/** Open matters of a kind whose deadline falls before `now` + `lookaheadDays`, with the owner's superior. */
export function findSupervisionCandidates(db: Db, kind: string, states: readonly string[], now: Date, lookaheadDays: number) {
  return db
    .selectFrom('matters')
    .leftJoin('organisations as o', 'o.id', 'matters.owner_org_id')
    .leftJoin('organisations as parent', 'parent.id', 'o.parent_id')
    .select(['matters.id', 'matters.version', 'matters.due_at', 'matters.supervision_level', 'o.parent_id', 'parent.name as parent_name'])
    .where('matters.kind', '=', kind)
    .where('matters.status', 'in', states.length ? [...states] : ['-'])
    .where('matters.paused_since', 'is', null)
    .where('matters.supervision_level', '<', 3)
    .where('matters.due_at', 'is not', null)
    .where('matters.due_at', '<', sql<Date>`${now}::timestamptz + make_interval(days => ${lookaheadDays})`)
    .orderBy('matters.due_at')
    .limit(5000)
    .execute();
}
