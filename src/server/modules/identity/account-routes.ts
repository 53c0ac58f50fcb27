// Staff accounts and grants, for administrators and security administrators.
import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { MOBILE_PATTERN } from '../../crypto/fields.js';
import { originOf } from '../../http/origin.js';
import { errorResponses } from '../../http/schemas.js';
import {
  addGrant,
  createStaffAccount,
  getUser,
  listUsers,
  removeGrant,
  revealPersonalField,
  rolesGrantableAt,
  setUserStatus,
} from './accounts.js';
import { presentUser, UserOut } from './present.js';
import { ROLES } from './tables.js';

const tags = ['accounts'];
const RoleSchema = Type.Enum(ROLES);
const RegionCode = Type.String({ pattern: '^[A-Za-z0-9]{1,20}$' });
const UserId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const GrantIn = Type.Object(
  {
    role: RoleSchema,
    regionCode: RegionCode,
    organisationId: Type.Optional(
      Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
        description: 'The organisation the role works for: required for a merchant (its shop, of kind merchant), optional otherwise',
      }),
    ),
  },
  { additionalProperties: false },
);

export async function accountRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/users',
    {
      schema: {
        tags,
        summary: 'Accounts with a role in my scope (masked phone numbers), newest first',
        querystring: Type.Object(
          {
            region: Type.Optional(RegionCode),
            role: Type.Optional(RoleSchema),
            q: Type.Optional(Type.String({ maxLength: 40 })),
            after: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(UserOut), next: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const { region, role, q, after, limit } = request.query;
      const page = await listUsers(ctx, request.actor, { regionCode: region, role, text: q, after, limit });
      return { items: page.items.map(presentUser), next: page.next };
    },
  );

  app.get(
    '/api/users/:id',
    { schema: { tags, summary: 'One account', params: UserId, response: { 200: UserOut, ...errorResponses(400, 401, 403, 404) } } },
    async (request) => presentUser(await getUser(ctx, request.actor, request.params.id)),
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags,
        summary: 'Create a staff account with its grants',
        body: Type.Object(
          {
            phone: Type.String({ pattern: MOBILE_PATTERN }),
            displayName: Type.String({ minLength: 1, maxLength: 40 }),
            password: Type.String({ minLength: 8, maxLength: 200 }),
            grants: Type.Array(GrantIn, { minItems: 1, maxItems: 10 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: UserOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(presentUser(await createStaffAccount(ctx, request.actor, request.body, originOf(request)))),
  );

  app.post(
    '/api/users/:id/grants',
    {
      schema: {
        tags,
        summary: 'Grant a role at a region (for an organisation: a merchant names its shop)',
        params: UserId,
        body: GrantIn,
        response: { 201: UserOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(presentUser(await addGrant(ctx, request.actor, request.params.id, request.body, originOf(request)))),
  );

  app.delete(
    '/api/users/:id/grants/:grantId',
    {
      schema: {
        tags,
        summary: 'Take a role away',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), grantId: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeGrant(ctx, request.actor, request.params.id, request.params.grantId, originOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/users/:id/status',
    {
      schema: {
        tags,
        summary: 'Disable or re-enable an account (disabling ends its sessions; enabling also unlocks)',
        params: UserId,
        body: Type.Object({ status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]) }, { additionalProperties: false }),
        response: { 200: UserOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => presentUser(await setUserStatus(ctx, request.actor, request.params.id, request.body.status, originOf(request))),
  );

  app.post(
    '/api/users/:id/reveal',
    {
      schema: {
        tags,
        summary: 'See a personal field in full, giving a reason (recorded in the audit log)',
        params: UserId,
        body: Type.Object(
          { field: Type.Union([Type.Literal('phone'), Type.Literal('idNumber')]), reason: Type.String({ minLength: 5, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ value: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      value: await revealPersonalField(ctx, request.actor, { userId: request.params.id, ...request.body }, originOf(request)),
    }),
  );

  app.get(
    '/api/grantable-roles',
    {
      schema: {
        tags,
        summary: 'The roles I may grant at a region',
        querystring: Type.Object({ region: RegionCode }, { additionalProperties: false }),
        response: { 200: Type.Object({ roles: Type.Array(Type.String()) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ roles: await rolesGrantableAt(ctx, request.actor, request.query.region) }),
  );
}
