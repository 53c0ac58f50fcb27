import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { MOBILE_PATTERN } from '../../crypto/fields.js';
import { clearSessionCookies, SESSION_COOKIE, setSessionCookies } from '../../http/actor.js';
import { errorResponses } from '../../http/schemas.js';
import { requireActor } from './access.js';
import { MeOut, presentMe } from './present.js';
import { signIn, signOut } from './service.js';

const tags = ['identity'];

export async function identityRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post(
    '/api/auth/sign-in',
    {
      schema: {
        tags,
        summary: 'Sign in with a mainland mobile number and password; sets the session cookie',
        body: Type.Object(
          {
            phone: Type.String({ pattern: MOBILE_PATTERN, description: '11-digit mainland mobile number' }),
            password: Type.String({ minLength: 1, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: MeOut, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const result = await signIn(ctx, {
        phone: request.body.phone,
        password: request.body.password,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      setSessionCookies(reply, ctx, result.token, result.maxAgeSeconds);
      return presentMe(result.actor);
    },
  );

  app.post(
    '/api/auth/sign-out',
    { schema: { tags, summary: 'End this session', response: { 204: Type.Null() } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await signOut(ctx.db, token);
      clearSessionCookies(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/me',
    { schema: { tags, summary: 'The signed-in person with their roles and regions', response: { 200: MeOut, ...errorResponses(401) } } },
    async (request) => presentMe(requireActor(request.actor)),
  );
}
