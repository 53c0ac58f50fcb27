// Sign-in, sessions, two-factor and self-registration.
import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { MOBILE_PATTERN } from '../../crypto/fields.js';
import { clearSessionCookies, SESSION_COOKIE, setSessionCookies } from '../../http/actor.js';
import { originOf } from '../../http/origin.js';
import { errorResponses } from '../../http/schemas.js';
import { requirePasswordSignedIn } from './access.js';
import { MeOut, presentMe, presentSession, SessionOut } from './present.js';
import { PRIVACY_NOTICE } from './privacy-notice.js';
import { register, sendRegistrationCode } from './registration.js';
import { completeSecondFactor, listMySessions, revokeMySession, signIn, signOut, signOutEverywhere } from './service.js';
import { disableTwoFactor, enableTwoFactor, regenerateRecoveryCodes, startTwoFactorSetup } from './two-factor.js';

const tags = ['identity'];
const Phone = Type.String({ pattern: MOBILE_PATTERN, description: '11-digit mainland mobile number' });
const Password = Type.String({ minLength: 1, maxLength: 200 });
const RecoveryCodes = Type.Object({ recoveryCodes: Type.Array(Type.String()) });

export async function identityRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post(
    '/api/auth/sign-in',
    {
      schema: {
        tags,
        summary:
          'Sign in with a mainland mobile number and password; sets the session cookie. `pending` says whether a second factor is owed.',
        body: Type.Object({ phone: Phone, password: Password }, { additionalProperties: false }),
        response: { 200: MeOut, ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const result = await signIn(ctx, { ...request.body, origin: originOf(request) });
      setSessionCookies(reply, ctx, result.token, result.maxAgeSeconds);
      return presentMe(result.actor, ctx.config);
    },
  );

  app.post(
    '/api/auth/second-factor',
    {
      schema: {
        tags,
        summary: 'Finish signing in with an authenticator code (6 digits) or a recovery code',
        body: Type.Object({ code: Type.String({ minLength: 6, maxLength: 20 }) }, { additionalProperties: false }),
        response: { 200: MeOut, ...errorResponses(400, 401, 429) },
      },
    },
    async (request) => presentMe(await completeSecondFactor(ctx, request.actor, request.body.code, originOf(request)), ctx.config),
  );

  app.post(
    '/api/auth/sign-out',
    { schema: { tags, summary: 'End this session', response: { 204: Type.Null() } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await signOut(ctx.db, request.actor, token, originOf(request));
      clearSessionCookies(reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/auth/sign-out-everywhere',
    {
      schema: {
        tags,
        summary: 'End every session of the signed-in person, this one included',
        response: { 204: Type.Null(), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      await signOutEverywhere(ctx.db, request.actor, originOf(request));
      clearSessionCookies(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/me',
    { schema: { tags, summary: 'The signed-in person with their roles and regions', response: { 200: MeOut, ...errorResponses(401) } } },
    async (request) => presentMe(requirePasswordSignedIn(request.actor), ctx.config),
  );

  app.get(
    '/api/me/sessions',
    {
      schema: {
        tags,
        summary: 'My active sessions',
        response: { 200: Type.Object({ items: Type.Array(SessionOut) }), ...errorResponses(401) },
      },
    },
    async (request) => ({ items: (await listMySessions(ctx.db, request.actor)).map(presentSession) }),
  );

  app.delete(
    '/api/me/sessions/:id',
    {
      schema: {
        tags,
        summary: 'End one of my sessions',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await revokeMySession(ctx.db, request.actor, request.params.id, originOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/me/two-factor/setup',
    {
      schema: {
        tags,
        summary: 'Start two-factor enrolment: a secret and its QR code for an authenticator app',
        response: {
          200: Type.Object({ secret: Type.String(), otpauthUrl: Type.String(), qrDataUrl: Type.String() }),
          ...errorResponses(401),
        },
      },
    },
    async (request) => startTwoFactorSetup(ctx, request.actor),
  );

  app.post(
    '/api/me/two-factor/enable',
    {
      schema: {
        tags,
        summary: 'Confirm enrolment with a code from the app; returns the recovery codes (shown once)',
        body: Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false }),
        response: { 200: RecoveryCodes, ...errorResponses(400, 401, 409) },
      },
    },
    async (request) => ({ recoveryCodes: await enableTwoFactor(ctx, request.actor, request.body.code, originOf(request)) }),
  );

  app.post(
    '/api/me/two-factor/disable',
    {
      schema: {
        tags,
        summary: 'Turn two-factor sign-in off (not for roles that require it)',
        body: Type.Object({ password: Password }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await disableTwoFactor(ctx, request.actor, request.body.password, originOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/me/two-factor/recovery-codes',
    {
      schema: {
        tags,
        summary: 'Replace the recovery codes',
        body: Type.Object({ password: Password }, { additionalProperties: false }),
        response: { 200: RecoveryCodes, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request) => ({ recoveryCodes: await regenerateRecoveryCodes(ctx, request.actor, request.body.password, originOf(request)) }),
  );

  app.get(
    '/api/privacy-notice',
    {
      schema: {
        tags,
        summary: 'The privacy notice people accept when they register',
        response: {
          200: Type.Object({
            version: Type.String(),
            title: Type.Object({ zh: Type.String(), en: Type.String() }),
            body: Type.Object({ zh: Type.String(), en: Type.String() }),
          }),
        },
      },
    },
    async () => PRIVACY_NOTICE,
  );

  app.post(
    '/api/auth/codes',
    {
      schema: {
        tags,
        summary: 'Send a one-time code by text message (for registration)',
        body: Type.Object({ phone: Phone, purpose: Type.Literal('register') }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await sendRegistrationCode(ctx, { phone: request.body.phone, origin: originOf(request) });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/auth/register',
    {
      schema: {
        tags,
        summary: 'Register as a worker or resident with the one-time code; signs in',
        body: Type.Object(
          {
            phone: Phone,
            code: Type.String({ pattern: '^[0-9]{6}$' }),
            password: Type.String({ minLength: 8, maxLength: 200 }),
            displayName: Type.String({ minLength: 1, maxLength: 40 }),
            role: Type.Union([Type.Literal('worker'), Type.Literal('resident')]),
            regionCode: Type.String({ pattern: '^[A-Za-z0-9]{1,20}$' }),
            privacyVersion: Type.String({ maxLength: 20 }),
            locationConsent: Type.Boolean(),
          },
          { additionalProperties: false },
        ),
        response: { 201: MeOut, ...errorResponses(400, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const result = await register(ctx, { ...request.body, origin: originOf(request) });
      setSessionCookies(reply, ctx, result.token, result.maxAgeSeconds);
      return reply.code(201).send(presentMe(result.actor, ctx.config));
    },
  );
}
