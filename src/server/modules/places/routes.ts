import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { originOf } from '../../http/origin.js';
import { errorResponses } from '../../http/schemas.js';
import {
  AmenitySchema,
  DatumSchema,
  ExceptionSchema,
  NearPlaceOut,
  PlaceKindSchema,
  PlaceOut,
  presentNearPlace,
  presentPlace,
  WeeklyHoursSchema,
} from './present.js';
import { errors } from '../../errors.js';
import { IMPORT_MAX_ROWS, importPlaces, type ImportFormat } from './import.js';
import { createPlace, getPlace, listPlaces, nearestPlaces, updatePlace } from './service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

const tags = ['places'];
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const Lng = Type.Number({ minimum: -180, maximum: 180 });
const Datum = Type.Optional(DatumSchema);
const Bbox = Type.String({
  pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$',
  description: 'south,west,north,east in the datum given',
});

const PlaceBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    kind: PlaceKindSchema,
    regionCode: Type.String({ pattern: '^[A-Za-z0-9]{1,20}$' }),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    location: Type.Object(
      {
        lat: Lat,
        lng: Lng,
        datum: Datum,
        accuracyM: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 100000 }), Type.Null()])),
      },
      { additionalProperties: false },
    ),
    contactName: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Null()])),
    contactPhone: Type.Optional(Type.Union([Type.String({ maxLength: 30 }), Type.Null()])),
    organisationId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    amenities: Type.Optional(Type.Array(AmenitySchema, { maxItems: 20 })),
    alwaysOpen: Type.Optional(Type.Boolean()),
    hours: Type.Optional(Type.Array(WeeklyHoursSchema, { maxItems: 50 })),
    exceptions: Type.Optional(Type.Array(ExceptionSchema, { maxItems: 400 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export async function placeRoutes(app: App, ctx: AppContext): Promise<void> {
  // The raw file is the body; these content types are parsed only inside this scope.
  await app.register(async (scope: App) => {
    scope.addContentTypeParser(['text/csv', XLSX], { parseAs: 'buffer', bodyLimit: IMPORT_MAX_BYTES }, (_request, body, done) =>
      done(null, body),
    );
    scope.post(
      '/api/places/import',
      {
        bodyLimit: IMPORT_MAX_BYTES,
        schema: {
          tags,
          summary: 'Import places from a CSV or Excel (.xlsx) file, with a report on every row',
          description: `The body is the file itself (Content-Type text/csv in UTF-8, or ${XLSX}). Row 1 holds the headings: 名称, 类型, 区域代码, 纬度, 经度 (required), 地址, 坐标系 (wgs84 / gcj02 / bd09), 联系人, 联系电话, 设施 (codes or Chinese names, separated by 、), 营业时间 ("08:00-12:00,14:30-21:00" every day, or "1-5 08:00-18:00; 6,0 09:00-12:00"), 24小时 (是). Good rows are created, bad rows refused with their reason; at most ${IMPORT_MAX_ROWS} rows.`,
          consumes: ['text/csv', XLSX],
          response: {
            200: Type.Object({
              created: Type.Integer(),
              refused: Type.Integer(),
              rows: Type.Array(
                Type.Object({
                  row: Type.Integer(),
                  name: Type.String(),
                  status: Type.Union([Type.Literal('created'), Type.Literal('refused')]),
                  id: Type.Optional(Type.String()),
                  error: Type.Optional(
                    Type.Object({
                      code: Type.String(),
                      message: Type.Object({ zh: Type.String(), en: Type.String() }),
                      details: Type.Optional(Type.Unknown()),
                    }),
                  ),
                }),
              ),
            }),
            ...errorResponses(400, 401, 413, 415),
          },
        },
      },
      async (request) => {
        const type = String(request.headers['content-type'] ?? '')
          .split(';')[0]
          ?.trim();
        const format: ImportFormat | null = type === 'text/csv' ? 'csv' : type === XLSX ? 'xlsx' : null;
        if (!format || !Buffer.isBuffer(request.body)) throw errors.unsupportedMediaType();
        return importPlaces(ctx.db, request.actor, ctx.config, { format, bytes: request.body }, originOf(request));
      },
    );
  });

  app.get(
    '/api/places/nearest',
    {
      schema: {
        tags,
        summary: 'The nearest places to a point, open at a time (default now), with distance and estimated minutes',
        querystring: Type.Object(
          {
            lat: Lat,
            lng: Lng,
            datum: Datum,
            kind: Type.Optional(Type.Array(PlaceKindSchema, { maxItems: 10 })),
            amenity: Type.Optional(Type.Array(AmenitySchema, { maxItems: 12 })),
            openAt: Type.Optional(Type.String({ format: 'date-time' })),
            openOnly: Type.Boolean({ default: true }),
            limit: Type.Integer({ minimum: 1, maximum: 50, default: 10 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(NearPlaceOut) }), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { lat, lng, kind, amenity, openAt, openOnly, limit } = request.query;
      const datum = request.query.datum ?? 'wgs84';
      const input = {
        lat,
        lng,
        datum,
        kinds: kind ?? [],
        amenities: amenity ?? [],
        openAt: openAt ? new Date(openAt) : new Date(),
        openOnly,
        limit,
      };
      const items = await nearestPlaces(ctx.db, request.actor, input);
      return { items: items.map((p) => presentNearPlace(p, datum, ctx.config.placeTravel)) };
    },
  );

  app.get(
    '/api/places',
    {
      schema: {
        tags,
        summary: 'Active places in a map view box and/or matching a text in name or address',
        querystring: Type.Object(
          {
            bbox: Type.Optional(Bbox),
            q: Type.Optional(Type.String({ maxLength: 50 })),
            kind: Type.Optional(Type.Array(PlaceKindSchema, { maxItems: 10 })),
            datum: Datum,
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(PlaceOut) }), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { bbox, q, kind, limit } = request.query;
      const datum = request.query.datum ?? 'wgs84';
      const box = bbox ? parseBox(bbox) : null;
      const items = await listPlaces(ctx.db, request.actor, { box, datum, text: q, kinds: kind ?? [], limit });
      return { items: items.map((p) => presentPlace(p, datum)) };
    },
  );

  app.get(
    '/api/places/:id',
    {
      schema: {
        tags,
        summary: 'One place with its hours',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        querystring: Type.Object({ datum: Datum }, { additionalProperties: false }),
        response: { 200: PlaceOut, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => presentPlace(await getPlace(ctx.db, request.actor, request.params.id), request.query.datum ?? 'wgs84'),
  );

  app.post(
    '/api/places',
    {
      schema: {
        tags,
        summary: 'Create a place (station staff, coordinators and administrators over its region)',
        body: PlaceBody,
        response: { 201: PlaceOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const created = await createPlace(ctx.db, request.actor, ctx.config, request.body, originOf(request));
      return reply.code(201).send(presentPlace(created, 'wgs84'));
    },
  );

  app.put(
    '/api/places/:id',
    {
      schema: {
        tags,
        summary: 'Replace a place and its hours (station staff, coordinators and administrators over its region)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: PlaceBody,
        response: { 200: PlaceOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      presentPlace(await updatePlace(ctx.db, request.actor, ctx.config, request.params.id, request.body, originOf(request)), 'wgs84'),
  );
}

function parseBox(text: string): [number, number, number, number] {
  const [s = NaN, w = NaN, n = NaN, e = NaN] = text.split(',').map(Number);
  return [s, w, n, e];
}
