import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { originOf } from '../../http/origin.js';
import { errorResponses } from '../../http/schemas.js';
import { requireActor } from '../identity/access.js';
import { DatumSchema } from '../places/present.js';
import { listCategories, saveCategory } from './categories.js';
import { submitReport, TEXT_MAX } from './intake.js';
import { deleteRoute, listRoutes, setRoute } from './routing.js';
import { findDuplicates, listMyReports, listPublicReports } from './service.js';
import { presentCategory, presentRoute } from './present.js';

const tags = ['reports'];
const Uuid = Type.String({ format: 'uuid' });
const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' });
const RegionCode = Type.String({ pattern: '^[A-Za-z0-9]{1,20}$' });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const Lng = Type.Number({ minimum: -180, maximum: 180 });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Label = Type.Object({ zh: Type.String(), en: Type.String() });
const Time = Type.String({ format: 'date-time' });

const CategoryOut = Type.Object({
  code: Type.String(),
  label: Label,
  handleDays: Type.Integer(),
  sort: Type.Integer(),
  active: Type.Boolean(),
});
const ReportOut = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  kind: Type.String(),
  status: Type.String(),
  version: Type.Integer(),
  category: Type.String(),
  regionCode: Type.String(),
  title: Type.String(),
  text: Type.String(),
  payload: Type.Record(Type.String(), Type.Unknown()),
  photos: Type.Array(Type.String()),
  createdAt: Time,
});
const RouteOut = Type.Object({
  id: Type.String(),
  category: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  organisationId: Type.String(),
  organisationName: Type.String(),
  updatedAt: Time,
});

export async function reportRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post(
    '/api/reports',
    {
      schema: {
        tags,
        summary: 'Send a report (随手拍): photos uploaded first, a category, a short text, the location or a poster’s place',
        description:
          'Photos are file ids from POST /api/files, pictures only, at most 9 (none is accepted here; the app asks for one). An Idempotency-Key header (1–100 of A–Z a–z 0–9 - _ . :) makes a repeated submit return the first report with 200 instead of 201.',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) }),
        body: Type.Object(
          {
            category: Code,
            text: Type.Optional(Type.String({ maxLength: TEXT_MAX })),
            photos: Type.Optional(Type.Array(Uuid, { maxItems: 20 })),
            location: Type.Optional(
              Type.Object(
                {
                  lat: Lat,
                  lng: Lng,
                  datum: Type.Optional(DatumSchema),
                  accuracyM: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 100000 }))),
                },
                { additionalProperties: false },
              ),
            ),
            placeId: Type.Optional(Uuid),
            occurredAt: Type.Optional(Time),
          },
          { additionalProperties: false },
        ),
        response: { 200: ReportOut, 201: ReportOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const { matter, created, photos } = await submitReport(
        ctx,
        request.actor,
        request.body,
        typeof key === 'string' ? key : null,
        originOf(request),
      );
      // The report as sent; its timeline and steps are at GET /api/matters/:id.
      return reply.code(created ? 201 : 200).send({
        id: matter.id,
        number: Number(matter.number),
        kind: matter.kind,
        status: matter.status,
        version: matter.version,
        category: matter.category,
        regionCode: matter.region_code,
        title: matter.title,
        text: matter.body,
        payload: matter.payload,
        photos,
        createdAt: matter.created_at.toISOString(),
      });
    },
  );

  app.post(
    '/api/reports/duplicates',
    {
      schema: {
        tags,
        summary: 'Likely duplicates of a report being written (a point, category, text) or under review (matterId)',
        description: 'A read sent as POST so that the draft text travels in the body, never in URLs that proxies log. Writes nothing.',
        body: Type.Object(
          {
            lat: Type.Optional(Lat),
            lng: Type.Optional(Lng),
            datum: Type.Optional(DatumSchema),
            category: Type.Optional(Code),
            text: Type.Optional(Type.String({ maxLength: 500 })),
            matterId: Type.Optional(Uuid),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Nullable(Type.String()),
                number: Type.Integer(),
                category: Type.String(),
                status: Type.String(),
                title: Nullable(Type.String()),
                distanceM: Type.Number(),
                createdAt: Time,
                similarity: Type.Number(),
                score: Type.Number(),
              }),
            ),
          }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request) => ({
      items: (await findDuplicates(ctx, request.actor, request.body)).map((d) => ({ ...d, createdAt: d.createdAt.toISOString() })),
    }),
  );

  app.get(
    '/api/me/reports',
    {
      schema: {
        tags,
        summary: 'My reports with their state, the department, the points they earned and why one was not adopted',
        querystring: Type.Object(
          { before: Type.Optional(Time), limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                number: Type.Integer(),
                status: Type.String(),
                category: Type.String(),
                text: Type.String(),
                lat: Type.Number(),
                lng: Type.Number(),
                photos: Type.Array(Type.String()),
                level: Nullable(Type.String()),
                points: Nullable(Type.Integer()),
                ownerOrgName: Nullable(Type.String()),
                rejectReason: Nullable(Type.String()),
                result: Nullable(Type.String()),
                mergedIntoNumber: Nullable(Type.Integer()),
                createdAt: Time,
                updatedAt: Time,
                closedAt: Nullable(Time),
              }),
            ),
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => ({
      items: (await listMyReports(ctx, request.actor, request.query)).map((r) => ({
        id: r.id,
        number: Number(r.number),
        status: r.status,
        category: r.category,
        text: r.text,
        lat: r.lat,
        lng: r.lng,
        photos: r.photos,
        level: r.level,
        points: r.points,
        ownerOrgName: r.owner_org_name,
        rejectReason: r.reject_reason,
        result: r.result,
        mergedIntoNumber: r.merged_into_number === null ? null : Number(r.merged_into_number),
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
        closedAt: r.closed_at ? r.closed_at.toISOString() : null,
      })),
    }),
  );

  app.get(
    '/api/public/reports',
    {
      schema: {
        tags,
        summary: 'Recent reports for the public map (signed out): category, state, dates and a point rounded to about 100 m',
        description: 'No reporter, no text and no photos. Limited per address.',
        querystring: Type.Object(
          {
            bbox: Type.String({
              pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$',
              description: 'south,west,north,east, at most 2° each way',
            }),
            datum: Type.Optional(DatumSchema),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 200 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                category: Type.String(),
                status: Type.String(),
                lat: Type.Number(),
                lng: Type.Number(),
                reportedOn: Type.String(),
                closedOn: Nullable(Type.String()),
              }),
            ),
          }),
          ...errorResponses(400, 429),
        },
      },
    },
    async (request) => ({
      items: await listPublicReports(ctx, request.ip, {
        box: request.query.bbox,
        datum: request.query.datum ?? 'wgs84',
        limit: request.query.limit,
      }),
    }),
  );

  app.get(
    '/api/report-categories',
    {
      schema: {
        tags,
        summary: 'Report categories (active ones; all with ?all=true for the console)',
        querystring: Type.Object({ all: Type.Boolean({ default: false }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(CategoryOut) }), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      requireActor(request.actor);
      return { items: (await listCategories(ctx.db, request.query.all)).map(presentCategory) };
    },
  );

  app.put(
    '/api/report-categories/:code',
    {
      schema: {
        tags,
        summary: 'Create or change a report category (city administrators; audited). Categories are deactivated, never deleted',
        params: Type.Object({ code: Code }),
        body: Type.Object(
          {
            labelZh: Type.String({ minLength: 1, maxLength: 50 }),
            labelEn: Type.String({ minLength: 1, maxLength: 100 }),
            handleDays: Type.Integer({ minimum: 1, maximum: 60 }),
            sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: CategoryOut, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => presentCategory(await saveCategory(ctx.db, request.actor, request.params.code, request.body, originOf(request))),
  );

  app.get(
    '/api/report-routes',
    {
      schema: {
        tags,
        summary: 'The routing table of my subtree: which department handles a category in a region',
        querystring: Type.Object({ category: Type.Optional(Code), region: Type.Optional(RegionCode) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(RouteOut) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      items: (await listRoutes(ctx.db, request.actor, { category: request.query.category, regionCode: request.query.region })).map(
        presentRoute,
      ),
    }),
  );

  app.put(
    '/api/report-routes',
    {
      schema: {
        tags,
        summary: 'Set the department for a category in a region (coordinators and administrators over it; audited)',
        body: Type.Object({ category: Code, regionCode: RegionCode, organisationId: Uuid }, { additionalProperties: false }),
        response: { 200: RouteOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => presentRoute(await setRoute(ctx.db, request.actor, request.body, originOf(request))),
  );

  app.delete(
    '/api/report-routes/:id',
    {
      schema: {
        tags,
        summary: 'Remove a route (coordinators and administrators over its region; audited)',
        params: Type.Object({ id: Uuid }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await deleteRoute(ctx.db, request.actor, request.params.id, originOf(request));
      return reply.code(204).send(null);
    },
  );
}
