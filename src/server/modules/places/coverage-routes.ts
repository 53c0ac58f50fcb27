import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { errorResponses } from '../../http/schemas.js';
import { COVERAGE_LIMITS as L, placeCoverage, TRAVEL_MODES } from './coverage.js';
import { convert } from './datum.js';
import { DatumSchema, PlaceKindSchema } from './present.js';
import type { Datum } from './tables.js';

const Point = { lat: Type.Number(), lng: Type.Number() };

const CoverageOut = Type.Object({
  region: Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) }),
  resolutionM: Type.Integer(),
  mode: Type.Enum(TRAVEL_MODES),
  minutes: Type.Integer(),
  cells: Type.Object({ total: Type.Integer(), covered: Type.Integer() }),
  weight: Type.Object({ total: Type.Number(), covered: Type.Number() }),
  share: Type.Number({ description: 'Covered share of the weight (workers’ presence), 0..1' }),
  cellShare: Type.Number({ description: 'Covered share of the cells, 0..1' }),
  uncovered: Type.Array(Type.Object({ ...Point, weight: Type.Number() }), {
    description: `Uncovered cell centres (WGS-84), heaviest first, at most ${L.maxUncovered}`,
  }),
  uncoveredTotal: Type.Integer(),
  suggestions: Type.Array(Type.Object({ ...Point, adds: Type.Number(), addsCells: Type.Integer(), shareAfter: Type.Number() }), {
    description: 'Suggested new sites in greedy order; adds: weight newly covered',
  }),
  places: Type.Integer({ description: 'Open places of the chosen kinds that reach the region' }),
  at: Type.String(),
  bounds: Type.Object({ south: Type.Number(), west: Type.Number(), north: Type.Number(), east: Type.Number() }),
  outline: Type.Union([Type.Array(Type.Array(Type.Tuple([Type.Number(), Type.Number()]))), Type.Null()], {
    description: 'Rings of [lat, lng] of a district or the city, for drawing; null for streets and zones',
  }),
  datum: DatumSchema,
});

/** Points in the datum the client draws in (computed in WGS-84). */
function inDatum<T extends { lat: number; lng: number }>(points: T[], datum: Datum): T[] {
  if (datum === 'wgs84') return points;
  return points.map((p) => {
    const { lat, lng } = convert(p, 'wgs84', datum);
    return { ...p, lat: Math.round(lat * 1e6) / 1e6, lng: Math.round(lng * 1e6) / 1e6 };
  });
}

export async function coverageRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/places/coverage',
    {
      schema: {
        tags: ['places'],
        summary:
          'Coverage of a region by open places within N minutes, uncovered cells and suggested new sites (coordinators, administrators)',
        querystring: Type.Object(
          {
            regionCode: Type.String({ pattern: '^[A-Za-z0-9]{1,20}$' }),
            kind: Type.Optional(Type.Array(PlaceKindSchema, { maxItems: 10 })),
            mode: Type.Enum(TRAVEL_MODES, { default: 'ebike' }),
            minutes: Type.Integer({ minimum: L.minutes.min, maximum: L.minutes.max, default: 15 }),
            resolution: Type.Integer({
              minimum: L.resolutionM.min,
              maximum: L.resolutionM.max,
              default: 200,
              description: 'cell size, metres',
            }),
            at: Type.Optional(Type.String({ format: 'date-time', description: 'places open at this time count (default now)' })),
            suggest: Type.Integer({ minimum: L.suggest.min, maximum: L.suggest.max, default: 5 }),
            datum: Type.Optional(DatumSchema),
          },
          { additionalProperties: false },
        ),
        response: { 200: CoverageOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const q = request.query;
      const datum = q.datum ?? 'wgs84';
      const result = await placeCoverage(ctx, request.actor, {
        regionCode: q.regionCode,
        kinds: q.kind ?? [],
        mode: q.mode,
        minutes: q.minutes,
        resolutionM: q.resolution,
        at: q.at ? new Date(q.at) : new Date(),
        suggest: q.suggest,
      });
      const corner = (lat: number, lng: number) => inDatum([{ lat, lng }], datum)[0]!;
      const sw = corner(result.bounds.south, result.bounds.west);
      const ne = corner(result.bounds.north, result.bounds.east);
      return {
        ...result,
        uncovered: inDatum(result.uncovered, datum),
        suggestions: inDatum(result.suggestions, datum),
        bounds: { south: sw.lat, west: sw.lng, north: ne.lat, east: ne.lng },
        outline:
          result.outline?.map((ring) =>
            inDatum(
              ring.map(([lat, lng]) => ({ lat, lng })),
              datum,
            ).map((p) => [p.lat, p.lng] as [number, number]),
          ) ?? null,
        datum,
      };
    },
  );
}
