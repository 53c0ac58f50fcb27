// Maps every failure to the one error format; never lets a client's mistake become a 500.
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errors } from '../errors.js';
import type { PageFallback } from './web.js';

interface ValidationIssue {
  field: string;
  problem: string;
}

function validationIssues(error: FastifyError): ValidationIssue[] {
  const context = error.validationContext ?? 'body';
  return (error.validation ?? []).map((v) => {
    const params = v.params as Record<string, unknown>;
    const missing = typeof params.missingProperty === 'string' ? `/${params.missingProperty}` : '';
    const extra = typeof params.additionalProperty === 'string' ? `/${params.additionalProperty}` : '';
    const pointer = `${v.instancePath}${missing}${extra}`;
    return {
      field: `${context}${pointer.replaceAll('/', '.')}`,
      problem: v.message ?? 'is not valid',
    };
  });
}

/** Framework errors that are the client's doing, by Fastify's error code. */
const clientErrors: Record<string, () => AppError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => errors.malformedJson(),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => errors.malformedJson(),
  FST_ERR_CTP_BODY_TOO_LARGE: () => errors.payloadTooLarge(),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => errors.unsupportedMediaType(),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => errors.invalidRequest(),
  FST_ERR_BAD_URL: () => errors.notFound(),
  FST_ERR_ASYNC_CONSTRAINT: () => errors.notFound(),
};

/** Database refusals that a client's request can cause (e.g. two creating the same name at once). */
const databaseErrors: Record<string, () => AppError> = {
  '23505': () => errors.conflict(),
  '23503': () => errors.conflict(),
  '22001': () => errors.invalidRequest(),
  '22P02': () => errors.invalidRequest(),
  // A NUL character in text (PostgreSQL text cannot hold it).
  '22021': () => errors.invalidRequest(),
  // Other values the database cannot hold: numbers and dates out of its range, untranslatable text.
  '22003': () => errors.invalidRequest(),
  '22007': () => errors.invalidRequest(),
  '22008': () => errors.invalidRequest(),
  '22P05': () => errors.invalidRequest(),
};

export function toAppError(error: FastifyError | AppError | Error): AppError | null {
  if (error instanceof AppError) return error;
  const sqlState = (error as { code?: unknown }).code;
  const fromDatabase = typeof sqlState === 'string' ? databaseErrors[sqlState] : undefined;
  if (fromDatabase) return fromDatabase();
  const fe = error as FastifyError;
  if (fe.validation) {
    const issues = validationIssues(fe);
    const first = issues[0];
    const err = errors.invalidRequest({ issues });
    if (first) {
      err.messages.zh = `请求内容不符合要求：${first.field} ${first.problem}`;
      err.messages.en = `The request is not valid: ${first.field} ${first.problem}`;
    }
    return err;
  }
  const make = fe.code ? clientErrors[fe.code] : undefined;
  if (make) return make();
  if (error instanceof SyntaxError && fe.statusCode === 400) return errors.malformedJson();
  // Any other 4xx raised by the framework or a plugin keeps its status with a generic code.
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError(fe.statusCode, 'invalid_request', { zh: '请求无效', en: fe.message || 'Invalid request' });
  }
  return null;
}

export function sendError(reply: FastifyReply, err: AppError): FastifyReply {
  const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  return reply
    .code(err.status)
    .type('application/json; charset=utf-8')
    .send({
      error: { code: err.code, message: err.messages, ...(err.details === undefined ? {} : { details: err.details }) },
    });
}

/**
 * Installs the error and not-found handlers. A second router records every route so that a
 * known path asked with the wrong method answers 405 with an Allow header, not 404.
 */
export function installErrorHandling(app: FastifyInstance, pages: () => PageFallback | null): void {
  const known = FindMyWay({ ignoreTrailingSlash: true });
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      // '/docs' and '/docs/' are one path to this router: the second registration is a duplicate.
      if (known.find(method as HTTPMethod, route.url) === null) known.on(method as HTTPMethod, route.url, () => {});
    }
  });

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(error);
    if (appError) {
      if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
      return sendError(reply, appError);
    }
    request.log.error({ err: error }, 'unexpected error');
    return sendError(reply, errors.internal({ requestId: request.id }));
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const url = request.url.split('?')[0] ?? '/';
    const allowed = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).filter((m) => m !== request.method && known.find(m, url) !== null);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendError(reply, errors.methodNotAllowed());
    }
    return pages()?.(request, reply) ?? sendError(reply, errors.notFound());
  });
}
