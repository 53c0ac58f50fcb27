// A person's own data: profile, consents, export and closing the account.
import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { clearSessionCookies } from '../../http/actor.js';
import { originOf } from '../../http/origin.js';
import { errorResponses } from '../../http/schemas.js';
import {
  deleteMyAccount,
  exportMyData,
  getProfile,
  listConsents,
  recordConsent,
  suggestPlatforms,
  updateProfile,
} from './personal-data.js';
import { ConsentOut, presentConsent, presentProfile, ProfileOut } from './present.js';
import { CONSENT_KINDS, OCCUPATIONS } from './tables.js';

const tags = ['personal data'];

export async function personalDataRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/me/profile',
    { schema: { tags, summary: 'My worker profile', response: { 200: ProfileOut, ...errorResponses(401) } } },
    async (request) => presentProfile(await getProfile(ctx, request.actor)),
  );

  app.put(
    '/api/me/profile',
    {
      schema: {
        tags,
        summary: 'Change my profile; Party membership only with its separate consent',
        body: Type.Object(
          {
            occupation: Type.Optional(Type.Union([Type.Enum(OCCUPATIONS), Type.Null()])),
            platform: Type.Optional(Type.Union([Type.String({ maxLength: 60 }), Type.Null()])),
            homeRegionCode: Type.Optional(Type.Union([Type.String({ pattern: '^[A-Za-z0-9]{1,20}$' }), Type.Null()])),
            serves: Type.Optional(
              Type.Object(
                { collector: Type.Boolean(), gridMember: Type.Boolean(), sentinel: Type.Boolean() },
                { additionalProperties: false },
              ),
            ),
            partyConsent: Type.Optional(Type.Boolean()),
            partyMember: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
            idNumber: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9]{17}[0-9Xx]$' }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: { 200: ProfileOut, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => presentProfile(await updateProfile(ctx, request.actor, request.body, originOf(request))),
  );

  app.get(
    '/api/platform-suggestions',
    {
      schema: {
        tags,
        summary: 'Platform and employer names for the profile form',
        querystring: Type.Object({ q: Type.String({ maxLength: 30, default: '' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Type.String()) }) },
      },
    },
    async (request) => ({ items: await suggestPlatforms(ctx, request.query.q) }),
  );

  app.get(
    '/api/me/consents',
    {
      schema: {
        tags,
        summary: 'My consents, newest first',
        response: { 200: Type.Object({ items: Type.Array(ConsentOut) }), ...errorResponses(401) },
      },
    },
    async (request) => ({ items: (await listConsents(ctx, request.actor)).map(presentConsent) }),
  );

  app.post(
    '/api/me/consents',
    {
      schema: {
        tags,
        summary: 'Give or withdraw a consent (privacy notice, precise location, Party membership)',
        body: Type.Object(
          { kind: Type.Enum(CONSENT_KINDS), granted: Type.Boolean(), version: Type.Optional(Type.String({ maxLength: 20 })) },
          { additionalProperties: false },
        ),
        response: { 201: ConsentOut, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(presentConsent(await recordConsent(ctx, request.actor, request.body, originOf(request)))),
  );

  app.get(
    '/api/me/export',
    { schema: { tags, summary: 'Download everything held about me (JSON)', response: { 200: Type.Unknown(), ...errorResponses(401) } } },
    async (request, reply) => {
      const data = await exportMyData(ctx, request.actor, originOf(request));
      reply.header('content-disposition', `attachment; filename="nuanxin-my-data-${new Date().toISOString().slice(0, 10)}.json"`);
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(data, null, 2));
    },
  );

  app.post(
    '/api/me/delete',
    {
      schema: {
        tags,
        summary: 'Close my account: it is anonymised and every session ends',
        body: Type.Object(
          { password: Type.String({ minLength: 1, maxLength: 200 }), confirm: Type.Literal('DELETE') },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await deleteMyAccount(ctx, request.actor, request.body.password, originOf(request));
      clearSessionCookies(reply);
      return reply.code(204).send(null);
    },
  );
}
