// Builds the Fastify app from the modules. It does not listen: main.ts does, tests use inject().
import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { App, AppContext } from './context.js';
import { installActor } from './http/actor.js';
import { installErrorHandling, sendError, toAppError } from './http/errors.js';
import { errors } from './errors.js';
import { securityHeaders } from './http/security-headers.js';
import { installWeb, type PageFallback } from './http/web.js';
import { auditRoutes } from './modules/audit/routes.js';
import { calendarRoutes } from './modules/calendar/routes.js';
import { fileRoutes } from './modules/files/routes.js';
import { accountRoutes } from './modules/identity/account-routes.js';
import { personalDataRoutes } from './modules/identity/personal-data-routes.js';
import { identityRoutes } from './modules/identity/routes.js';
import { matterRoutes } from './modules/matters/routes.js';
import { jobRoutes } from './modules/meta/jobs-routes.js';
import { metaRoutes } from './modules/meta/routes.js';
import { notificationRoutes } from './modules/notifications/routes.js';
import { VERSION } from './modules/meta/service.js';
import { organisationRoutes } from './modules/organisations/routes.js';
import { coverageRoutes } from './modules/places/coverage-routes.js';
import { placeRoutes } from './modules/places/routes.js';
import { pointRoutes } from './modules/points/routes.js';
import { rewardRoutes } from './modules/rewards/routes.js';
import { regionRoutes } from './modules/regions/routes.js';
import { reportRoutes } from './modules/reports/routes.js';
import { open311Routes } from './modules/open311/routes.js';
import { templateRoutes } from './modules/templates/routes.js';

export interface BuildOptions {
  /** false for tests and benchmarks; otherwise pino at the configured level. */
  logger?: boolean;
  /** Serve the built web apps (off in API tests). */
  web?: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<App> {
  const security = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // HSTS only makes sense behind HTTPS, which the reverse proxy sets.
    strictTransportSecurity: ctx.config.publicUrl.startsWith('https:'),
  });
  // API answers are data, never a document to render: the strictest policy (OWASP's REST set),
  // without the headers that only speak to documents.
  const apiSecurity = securityHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: ctx.config.publicUrl.startsWith('https:'),
  });
  const securityFor = (url: string) => (url.startsWith('/api/') || url.startsWith('/open311/') ? apiSecurity : security);
  const app = Fastify({
    ...(options.logger === false ? { logger: false } : { loggerInstance: ctx.log as FastifyBaseLogger }),
    bodyLimit: 1024 * 1024,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    trustProxy: process.env.TRUST_PROXY === 'true',
    // URLs the router refuses before any hook (a broken escape, a parameter past its limit) get
    // the one error format too.
    frameworkErrors: (error, request, reply) => {
      reply.headers(securityFor(request.url));
      void sendError(reply, toAppError(error) ?? errors.invalidRequest());
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  let pages: PageFallback | null = null;
  installErrorHandling(app, () => pages);
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(securityFor(request.url));
    reply.header('x-request-id', request.id);
    done();
  });

  await app.register(fastifyCookie);
  installActor(app, ctx);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: '暖新 Nuanxin API',
        version: VERSION,
        description:
          'Every error is `{ "error": { "code", "message": { "zh", "en" }, "details" } }`. Sign in with POST /api/auth/sign-in; the session travels in the `nx_session` cookie.',
      },
      servers: [{ url: ctx.config.publicUrl }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const routes of [
    metaRoutes,
    regionRoutes,
    organisationRoutes,
    identityRoutes,
    accountRoutes,
    personalDataRoutes,
    auditRoutes,
    calendarRoutes,
    fileRoutes,
    matterRoutes,
    notificationRoutes,
    templateRoutes,
    placeRoutes,
    reportRoutes,
    open311Routes,
    pointRoutes,
    rewardRoutes,
    coverageRoutes,
    jobRoutes,
  ]) {
    await routes(app, ctx);
  }

  if (options.web !== false) pages = await installWeb(app);
  return app;
}
