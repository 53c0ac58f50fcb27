// Open311 GeoReport v2 at /open311/v2: discovery, services, service definitions, requests (GET
// with the standard filters, POST as form data with api_key), one request and tokens, each as
// .json or .xml. Outside /api: no session, no CSRF, the spec's own error format
// ([{code, description}] or <errors><error>…) and status codes (400 bad input, 403 bad key,
// 404 unknown service or request).
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { originOf } from '../../http/origin.js';
import { errorResponses } from '../../http/schemas.js';
import { hitRateLimits } from '../limits/service.js';
import { CONTENT_TYPE, splitFormat, toXml, type Format, type Value } from './format.js';
import { createKey, keyHolder, listKeys, revokeKey } from './keys.js';
import { discovery, getRequest, getToken, listRequests, Open311Error, postRequest, serviceDefinition, services } from './service.js';

const FORM = 'application/x-www-form-urlencoded';
const FORM_MAX_BYTES = 64 * 1024;
/** Reads per client address and posts per key, per minute. */
const READS_PER_MINUTE = 120;
const POSTS_PER_MINUTE = 60;
const STARTED = new Date().toISOString();

function send(reply: FastifyReply, format: Format, root: string, value: Value, status = 200) {
  reply.code(status).header('content-type', CONTENT_TYPE[format]);
  return reply.send(format === 'json' ? JSON.stringify(value) : toXml(root, value));
}

function formatOf(request: FastifyRequest): Format {
  const params = request.params as Record<string, string | undefined>;
  return splitFormat(params.file ?? '')?.format ?? 'json';
}

function open311Error(error: unknown): Open311Error {
  if (error instanceof Open311Error) return error;
  if (error instanceof AppError) {
    // A 429 stays a 429; other refusals the spec knows as 400, 403 or 404.
    return new Open311Error(error.status >= 500 ? 500 : error.status, `${error.messages.zh} ${error.messages.en}`);
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (status === 413) return new Open311Error(413, 'request too large');
  if (status === 415) return new Open311Error(415, `send ${FORM}`);
  if (status && status >= 400 && status < 500) return new Open311Error(400, 'bad request');
  return new Open311Error(500, 'internal error');
}

export async function open311Routes(app: App, ctx: AppContext): Promise<void> {
  await app.register(async (scope: App) => {
    if (!scope.hasContentTypeParser(FORM)) {
      scope.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: FORM_MAX_BYTES }, (_request, body, done) => {
        const form: Record<string, string> = {};
        for (const [k, v] of new URLSearchParams(body as string)) form[k] ??= v;
        done(null, form);
      });
    }
    scope.setErrorHandler((error, request, reply) => {
      const e = open311Error(error);
      if (e.status >= 500) request.log.error({ err: error }, 'open311 failed');
      return send(reply, formatOf(request), 'errors', [{ code: e.status, description: e.description }], e.status);
    });

    const read = (request: FastifyRequest) =>
      hitRateLimits(ctx.db, [{ key: `open311:ip:${request.ip}`, max: READS_PER_MINUTE, windowSeconds: 60 }]);
    const query = (request: FastifyRequest) => request.query as Record<string, string | undefined>;

    scope.get('/open311/v2/:file', { schema: { hide: true } }, async (request, reply) => {
      const file = splitFormat((request.params as { file: string }).file);
      if (!file) throw new Open311Error(404, 'unknown resource; add .json or .xml');
      await read(request);
      switch (file.name) {
        case 'discovery':
          return send(reply, file.format, 'discovery', discovery(ctx, STARTED));
        case 'services':
          return send(reply, file.format, 'services', await services(ctx));
        case 'requests':
          return send(reply, file.format, 'service_requests', await listRequests(ctx, query(request)));
        default:
          throw new Open311Error(404, `unknown resource: ${file.name}`);
      }
    });

    scope.get('/open311/v2/:collection/:file', { schema: { hide: true } }, async (request, reply) => {
      const { collection } = request.params as { collection: string };
      const file = splitFormat((request.params as { file: string }).file);
      if (!file) throw new Open311Error(404, 'unknown resource; add .json or .xml');
      await read(request);
      switch (collection) {
        case 'services':
          return send(reply, file.format, 'service_definition', await serviceDefinition(ctx, file.name));
        case 'requests':
          return send(reply, file.format, 'service_requests', await getRequest(ctx, file.name));
        case 'tokens':
          return send(reply, file.format, 'service_requests', await getToken(ctx, file.name));
        default:
          throw new Open311Error(404, `unknown resource: ${collection}`);
      }
    });

    scope.post('/open311/v2/:file', { schema: { hide: true } }, async (request, reply) => {
      const file = splitFormat((request.params as { file: string }).file);
      if (!file || file.name !== 'requests') throw new Open311Error(404, 'POST goes to requests.json or requests.xml');
      const form = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
      const holder = await keyHolder(ctx, typeof form.api_key === 'string' ? form.api_key : undefined);
      if (!holder) throw new Open311Error(403, 'api_key is missing or not valid');
      await hitRateLimits(ctx.db, [{ key: `open311:key:${holder.id ?? holder.name}`, max: POSTS_PER_MINUTE, windowSeconds: 60 }]);
      return send(reply, file.format, 'service_requests', await postRequest(ctx, holder, form));
    });
  });

  // ---- the keys, in the console -------------------------------------------------------------
  const tags = ['open311'];
  const KeyOut = Type.Object({
    id: Type.String(),
    name: Type.String(),
    masked: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  });
  const presentKey = (k: { id: string; name: string; key_hint: string; created_at: Date; revoked_at: Date | null }) => ({
    id: k.id,
    name: k.name,
    masked: `o311_…${k.key_hint}`,
    createdAt: k.created_at.toISOString(),
    revokedAt: k.revoked_at ? k.revoked_at.toISOString() : null,
  });

  app.get(
    '/api/open311/keys',
    {
      schema: {
        tags,
        summary: 'Open311 API keys, masked (city administrators)',
        response: { 200: Type.Object({ items: Type.Array(KeyOut) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ items: (await listKeys(ctx.db, request.actor)).map(presentKey) }),
  );

  app.post(
    '/api/open311/keys',
    {
      schema: {
        tags,
        summary: 'Issue an Open311 API key (city administrators; audited). The key is shown this once',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
        response: { 201: Type.Intersect([KeyOut, Type.Object({ key: Type.String() })]), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { row, key } = await createKey(ctx.db, request.actor, request.body.name, originOf(request));
      return reply.code(201).send({ ...presentKey(row), key });
    },
  );

  app.delete(
    '/api/open311/keys/:id',
    {
      schema: {
        tags,
        summary: 'Revoke an Open311 API key (city administrators; audited)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await revokeKey(ctx.db, request.actor, request.params.id, originOf(request));
      return reply.code(204).send(null);
    },
  );
}
