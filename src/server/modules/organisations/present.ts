import { Type, type Static } from 'typebox';
import type { OrganisationRow } from './queries.js';
import { ORGANISATION_KINDS } from './tables.js';

export const OrganisationKindSchema = Type.Enum(ORGANISATION_KINDS);

export const OrganisationOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: OrganisationKindSchema,
  regionCode: Type.String(),
  regionName: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
});

export function presentOrganisation(o: OrganisationRow): Static<typeof OrganisationOut> {
  return { id: o.id, name: o.name, kind: o.kind, regionCode: o.region_code, regionName: o.region_name, parentId: o.parent_id };
}
