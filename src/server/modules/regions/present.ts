import { Type, type Static } from 'typebox';
import type { AncestorRow, RegionSearchRow, RegionWithCount } from './queries.js';

export const RegionBrief = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  level: Type.String(),
});

export const RegionOut = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  level: Type.Union([
    Type.Literal('city'),
    Type.Literal('district'),
    Type.Literal('street'),
    Type.Literal('community'),
    Type.Literal('grid'),
  ]),
  kind: Type.Union([Type.Literal('admin'), Type.Literal('zone')]),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  districtCode: Type.Union([Type.String(), Type.Null()]),
  childCount: Type.Integer(),
});

export const RegionDetailOut = Type.Intersect([
  RegionOut,
  Type.Object({
    ancestors: Type.Array(RegionBrief),
    members: Type.Optional(Type.Array(RegionOut)),
  }),
]);

export const RegionSearchOut = Type.Intersect([RegionOut, Type.Object({ pathNames: Type.Array(Type.String()) })]);

export function presentRegionBrief(r: AncestorRow): Static<typeof RegionBrief> {
  return { code: r.code, name: r.name, nameEn: r.name_en, level: r.level };
}

export function presentRegion(r: RegionWithCount): Static<typeof RegionOut> {
  return {
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    level: r.level,
    kind: r.kind,
    parentCode: r.parent_code,
    districtCode: r.district_code,
    childCount: r.child_count,
  };
}

export function presentSearchResult(r: RegionSearchRow): Static<typeof RegionSearchOut> {
  return { ...presentRegion(r), pathNames: r.path_names };
}
