import fastifyMultipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { originOf } from '../../http/origin.js';
import { errorResponses } from '../../http/schemas.js';
import {
  AmenitySchema,
  CATALOGUE,
  CatalogueOut,
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
import { contentDisposition } from '../files/present.js';
import { sendFile } from '../files/routes.js';
import type { Upload } from '../files/service.js';
import { exportPlaces } from './export.js';
import { IMPORT_MAX_ROWS, importPlaces, type ImportFormat } from './import.js';
import { addPlacePhoto, MAX_PHOTOS, openPlacePhoto, removePlacePhoto } from './photos.js';
import { POSTER_HEIGHT, POSTER_WIDTH, renderPoster } from './poster.js';
import {
  cancelMobileStop,
  checkIn,
  createMobileStop,
  createPlace,
  getPlace,
  listMobileStops,
  listPlaces,
  MOBILE_MAX_HOURS,
  nearestPlaces,
  placeVisits,
  readablePlace,
  setAmenityStatus,
  updatePlace,
} from './service.js';

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

const RegionCode = Type.String({ pattern: '^[A-Za-z0-9]{1,20}$' });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const PhotoParams = Type.Object({ id: Type.String({ format: 'uuid' }), fileId: Type.String({ format: 'uuid' }) });
const Instant = Type.String({ format: 'date-time' });
/** A file body: sent as bytes (Fastify does not serialise a Buffer). */
const Binary = Type.Unsafe<Buffer>({ type: 'string', format: 'binary' });

const PlaceBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    kind: PlaceKindSchema,
    regionCode: Type.Optional(Type.Union([RegionCode, Type.Null()], { description: 'Left out: derived from the location' })),
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
    starRating: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Null()])),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const MobileStopBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    regionCode: PlaceBody.properties.regionCode,
    address: PlaceBody.properties.address,
    location: PlaceBody.properties.location,
    startsAt: Instant,
    endsAt: Instant,
    organisationId: PlaceBody.properties.organisationId,
    contactName: PlaceBody.properties.contactName,
    contactPhone: PlaceBody.properties.contactPhone,
    amenities: PlaceBody.properties.amenities,
  },
  { additionalProperties: false },
);

function declaredLength(request: FastifyRequest): number | null {
  const raw = request.headers['content-length'];
  return raw && /^\d+$/.test(raw) ? Number(raw) : null;
}

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
        return importPlaces(ctx, request.actor, { format, bytes: request.body }, originOf(request));
      },
    );
  });

  // Photos arrive as multipart/form-data; multipart is parsed only inside this scope.
  await app.register(async (scope: App) => {
    await scope.register(fastifyMultipart, {
      limits: { fileSize: ctx.config.fileMaxBytes + 1, files: 1, fields: 5, parts: 6, fieldSize: 1024, headerPairs: 50 },
    });
    scope.post(
      '/api/places/:id/photos',
      {
        schema: {
          tags,
          summary: "Add a photo to a place (its region's editors; multipart/form-data, one file)",
          description: `Judged by content and re-encoded (JPEG, no metadata) by the files module; photos only; at most ${MAX_PHOTOS} a place.`,
          consumes: ['multipart/form-data'],
          params: IdParams,
          response: {
            201: Type.Object({ id: Type.String(), url: Type.String(), thumbnailUrl: Type.String() }),
            ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429),
          },
        },
      },
      async (request, reply) => {
        const photo = await addPlacePhoto(
          ctx,
          request.actor,
          request.params.id,
          {
            declaredBytes: declaredLength(request),
            open: async (): Promise<Upload | undefined> => {
              if (!request.isMultipart()) throw errors.unsupportedMediaType();
              const part = await request.file();
              return part ? { stream: part.file, filename: part.filename } : undefined;
            },
          },
          originOf(request),
        );
        return reply.code(201).send(photo);
      },
    );
  });

  app.get(
    '/api/places/catalogue',
    {
      schema: {
        tags,
        summary: 'The kinds of place and the amenities, with labels and icons (Vant icon names)',
        response: { 200: CatalogueOut },
      },
    },
    async (_request, reply) => reply.header('cache-control', 'public, max-age=3600').send(CATALOGUE),
  );

  app.get(
    '/api/places/export',
    {
      schema: {
        tags,
        summary: "Export a region's places as CSV or Excel, with the import's headings (its editors)",
        querystring: Type.Object(
          {
            format: Type.Union([Type.Literal('xlsx'), Type.Literal('csv')], { default: 'xlsx' }),
            regionCode: RegionCode,
            kind: Type.Optional(Type.Array(PlaceKindSchema, { maxItems: 10 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Binary, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { format, regionCode, kind } = request.query;
      const file = await exportPlaces(ctx.db, request.actor, { format, regionCode, kinds: kind ?? [] }, originOf(request));
      return reply
        .type(file.mime)
        .header('content-disposition', contentDisposition('attachment', file.filename))
        .header('cache-control', 'no-store')
        .send(file.bytes);
    },
  );

  app.post(
    '/api/places/mobile-stops',
    {
      schema: {
        tags,
        summary: "Schedule a mobile-service stop (流动服务): a place for its time window (the region's editors)",
        description: `endsAt after startsAt and in the future, at most ${MOBILE_MAX_HOURS} hours long.`,
        body: MobileStopBody,
        response: { 201: PlaceOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const created = await createMobileStop(
        ctx,
        request.actor,
        { ...body, startsAt: new Date(body.startsAt), endsAt: new Date(body.endsAt) },
        originOf(request),
      );
      return reply.code(201).send(presentPlace(created, 'wgs84'));
    },
  );

  app.get(
    '/api/places/mobile-stops',
    {
      schema: {
        tags,
        summary: "Mobile-service stops of a region whose window overlaps [from, to), cancelled ones too (the region's editors)",
        querystring: Type.Object(
          { regionCode: RegionCode, from: Type.Optional(Instant), to: Type.Optional(Instant), datum: Datum },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(PlaceOut) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { regionCode, from, to } = request.query;
      const items = await listMobileStops(ctx.db, request.actor, {
        regionCode,
        ...(from ? { from: new Date(from) } : {}),
        ...(to ? { to: new Date(to) } : {}),
      });
      return { items: items.map((p) => presentPlace(p, request.query.datum ?? 'wgs84')) };
    },
  );

  app.delete(
    '/api/places/mobile-stops/:id',
    {
      schema: {
        tags,
        summary: "Cancel a mobile-service stop (the region's editors); it leaves the map, the record stays",
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await cancelMobileStop(ctx.db, request.actor, request.params.id, originOf(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/places/nearest',
    {
      schema: {
        tags,
        summary: 'The nearest places to a point, open at a time (default now), with distance and estimated minutes (public)',
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
        response: { 200: Type.Object({ items: Type.Array(NearPlaceOut) }), ...errorResponses(400) },
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
      const items = await nearestPlaces(ctx, input);
      return { items: items.map((p) => presentNearPlace(p, datum, ctx.config.placeTravel)) };
    },
  );

  app.get(
    '/api/places',
    {
      schema: {
        tags,
        summary: 'Active places in a map view box and/or matching a text in name or address (public)',
        querystring: Type.Object(
          {
            bbox: Type.Optional(Bbox),
            q: Type.Optional(Type.String({ maxLength: 50 })),
            kind: Type.Optional(Type.Array(PlaceKindSchema, { maxItems: 10 })),
            datum: Datum,
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
            at: Type.Optional(Instant),
            regionCode: Type.Optional(RegionCode),
            includeInactive: Type.Boolean({
              default: false,
              description: "Editors: also their regions' inactive places and all mobile stops",
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(PlaceOut) }), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { bbox, q, kind, limit, at, includeInactive, regionCode } = request.query;
      const datum = request.query.datum ?? 'wgs84';
      const items = await listPlaces(ctx.db, request.actor, {
        box: bbox ?? null,
        datum,
        text: q,
        kinds: kind ?? [],
        limit,
        at: at ? new Date(at) : new Date(),
        includeInactive,
        ...(regionCode ? { regionCode } : {}),
      });
      return { items: items.map((p) => presentPlace(p, datum)) };
    },
  );

  app.get(
    '/api/places/:id',
    {
      schema: {
        tags,
        summary: "One place with its hours (public; inactive ones for their region's editors only)",
        params: IdParams,
        querystring: Type.Object({ datum: Datum }, { additionalProperties: false }),
        response: { 200: PlaceOut, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { place, visitsToday } = await getPlace(ctx.db, request.actor, request.params.id);
      return presentPlace(place, request.query.datum ?? 'wgs84', visitsToday);
    },
  );

  for (const variant of ['original', 'thumbnail'] as const) {
    app.get(
      variant === 'original' ? '/api/places/:id/photos/:fileId' : '/api/places/:id/photos/:fileId/thumbnail',
      {
        schema: {
          tags,
          summary: variant === 'original' ? 'A photo of a place (public, JPEG)' : "A photo's thumbnail (public, JPEG, at most 320 px)",
          params: PhotoParams,
          response: { ...errorResponses(400, 404) },
        },
      },
      async (request, reply) =>
        sendFile(request, reply, await openPlacePhoto(ctx, request.actor, request.params.id, request.params.fileId, variant)),
    );
  }

  app.delete(
    '/api/places/:id/photos/:fileId',
    {
      schema: {
        tags,
        summary: "Remove a photo of a place (its region's editors); the file is deleted",
        params: PhotoParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removePlacePhoto(ctx, request.actor, request.params.id, request.params.fileId, originOf(request));
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/api/places/:id/amenities/:code',
    {
      schema: {
        tags,
        summary: "Mark an amenity of a place out of service or back in service (its region's editors)",
        params: Type.Object({ id: Type.String({ format: 'uuid' }), code: AmenitySchema }),
        body: Type.Object(
          { outOfService: Type.Boolean(), note: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])) },
          { additionalProperties: false },
        ),
        response: { 200: PlaceOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      presentPlace(
        await setAmenityStatus(ctx.db, request.actor, request.params.id, request.params.code, request.body, originOf(request)),
        'wgs84',
      ),
  );

  app.post(
    '/api/places/:id/check-ins',
    {
      schema: {
        tags,
        summary: 'Check in at a place (a signed-in worker; one per place per clock hour)',
        params: IdParams,
        response: {
          201: Type.Object({ id: Type.String(), placeId: Type.String(), checkedInAt: Instant, nextAllowedAt: Instant }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const done = await checkIn(ctx.db, request.actor, request.params.id);
      return reply.code(201).send({
        id: done.id,
        placeId: done.placeId,
        checkedInAt: done.checkedInAt.toISOString(),
        nextAllowedAt: done.nextAllowedAt.toISOString(),
      });
    },
  );

  app.get(
    '/api/places/:id/visits',
    {
      schema: {
        tags,
        summary: "Check-ins at a place on a date (Beijing), by hour (its region's editors)",
        params: IdParams,
        querystring: Type.Object({ date: Type.Optional(Type.String({ format: 'date' })) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            placeId: Type.String(),
            date: Type.String(),
            checkIns: Type.Integer(),
            workers: Type.Integer(),
            byHour: Type.Array(Type.Object({ hour: Type.Integer(), checkIns: Type.Integer(), workers: Type.Integer() })),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => placeVisits(ctx.db, request.actor, request.params.id, request.query.date),
  );

  app.get(
    '/api/places/:id/poster.png',
    {
      schema: {
        tags,
        summary: `A printable QR poster of the place (PNG, A4 at 150 dpi: ${POSTER_WIDTH} × ${POSTER_HEIGHT} px; public)`,
        params: IdParams,
        response: { 200: Binary, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const place = await readablePlace(ctx.db, request.actor, request.params.id, new Date());
      const png = await renderPoster(place, ctx.config.publicUrl);
      return reply
        .type('image/png')
        .header('content-disposition', contentDisposition('inline', `poster-${place.id}.png`))
        .header('cache-control', 'no-cache')
        .send(png);
    },
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
      const created = await createPlace(ctx.db, request.actor, ctx, request.body, originOf(request));
      return reply.code(201).send(presentPlace(created, 'wgs84'));
    },
  );

  app.put(
    '/api/places/:id',
    {
      schema: {
        tags,
        summary: 'Replace a place and its hours (station staff, coordinators and administrators over its region)',
        params: IdParams,
        body: PlaceBody,
        response: { 200: PlaceOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      presentPlace(await updatePlace(ctx.db, request.actor, ctx, request.params.id, request.body, originOf(request)), 'wgs84'),
  );
}
