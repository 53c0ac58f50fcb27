// Organisations (street offices, departments, mediation teams, merchants …), each in a region.
import type { Origin } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { inTransaction } from '../../db/transaction.js';
import { appendAudit } from '../audit/service.js';
import { errors } from '../../errors.js';
import { actorScope, requireActor, requireRoleAt, scopeCovers, STAFF_ROLES, type Actor } from '../identity/access.js';
import { requireRegion, scopeOfRegion } from '../regions/service.js';
import * as q from './queries.js';
import type { OrganisationKind } from './tables.js';

const MANAGERS = ['admin', 'coordinator', 'system_admin'] as const;

export async function listOrganisations(
  db: Db,
  actor: Actor | null,
  input: { regionCode?: string; kind?: OrganisationKind; text?: string; limit: number; offset: number },
): Promise<{ items: q.OrganisationRow[]; total: number }> {
  const scopes = [actorScope(requireActor(actor), STAFF_ROLES)];
  if (input.regionCode) scopes.push(await scopeOfRegion(db, await requireRegion(db, input.regionCode)));
  const filter = { scopes, kind: input.kind, text: input.text?.trim() || undefined };
  const [items, total] = await Promise.all([q.findOrganisations(db, filter, input), q.countOrganisations(db, filter)]);
  return { items, total };
}

export async function getOrganisation(db: Db, actor: Actor | null, id: string): Promise<q.OrganisationRow> {
  const signedIn = requireActor(actor);
  const org = await q.findOrganisationById(db, id);
  // Out of scope looks the same as missing: the record's existence is not disclosed.
  const visible = org && scopeCovers(actorScope(signedIn, STAFF_ROLES), org.region_path);
  if (!org || !visible) throw errors.organisationNotFound({ id });
  return org;
}

export interface NewOrganisationInput {
  name: string;
  kind: OrganisationKind;
  regionCode: string;
  parentId?: string | null;
  isDemo?: boolean;
}

/** Creates an organisation; `actor` 'system' means a system task (demo data, import). */
export async function createOrganisation(
  db: Db,
  actor: Actor | null | 'system',
  input: NewOrganisationInput,
  origin: Origin | null = null,
): Promise<q.OrganisationRow> {
  const region = await requireRegion(db, input.regionCode);
  const me = actor === 'system' ? actor : requireRoleAt(actor, MANAGERS, region.path);
  const name = input.name.trim();
  if (await q.findOrganisationByName(db, region.code, name)) throw errors.organisationExists({ name });
  if (input.parentId) {
    const parent = await q.findOrganisationById(db, input.parentId);
    // A parent outside the actor's scope is as good as missing: no linking to another region's records.
    const visible = parent && (me === 'system' || scopeCovers(actorScope(me, STAFF_ROLES), parent.region_path));
    if (!visible) throw errors.organisationNotFound({ id: input.parentId });
  }
  return inTransaction(db, async (trx) => {
    const id = await q.insertOrganisation(trx, {
      name,
      kind: input.kind,
      region_code: region.code,
      region_path: region.path,
      district_code: region.district_code,
      parent_id: input.parentId ?? null,
      is_demo: input.isDemo ?? false,
    });
    const created = await q.findOrganisationById(trx, id);
    if (!created) throw errors.internal();
    if (me !== 'system') {
      await appendAudit(trx, {
        actor: me,
        action: 'organisation.create',
        target: { type: 'organisation', id, regionPath: region.path, districtCode: region.district_code },
        after: { name, kind: input.kind, regionCode: region.code, parentId: input.parentId ?? null },
        origin,
      });
    }
    return created;
  });
}
