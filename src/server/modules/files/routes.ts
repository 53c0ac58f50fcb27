import { createReadStream } from 'node:fs';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { errors } from '../../errors.js';
import { errorResponses } from '../../http/schemas.js';
import { contentDisposition, FileOut, presentFile } from './present.js';
import { openFile, uploadFile, type FileDownload, type Upload } from './service.js';

const tags = ['files'];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

function declaredLength(request: FastifyRequest): number | null {
  const raw = request.headers['content-length'];
  return raw && /^\d+$/.test(raw) ? Number(raw) : null;
}

/** Sends an opened file (also for other modules' downloads, e.g. templates): cached by hash, never sniffed. */
export async function sendFile(request: FastifyRequest, reply: FastifyReply, d: FileDownload): Promise<FastifyReply> {
  const etag = `"${d.file.sha256}${d.variant === 'thumbnail' ? '-t' : ''}"`;
  reply.header('x-content-type-options', 'nosniff').header('cache-control', 'private, max-age=3600').header('etag', etag);
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  const name = d.variant === 'thumbnail' ? d.file.original_name.replace(/\.[^.]*$/, '-thumbnail.jpg') : d.file.original_name;
  return reply
    .type(d.mime)
    .header('content-length', String(d.size))
    .header('content-disposition', contentDisposition(d.file.kind === 'image' ? 'inline' : 'attachment', name))
    .send(createReadStream(d.path));
}

export async function fileRoutes(app: App, ctx: AppContext): Promise<void> {
  // Multipart is parsed only here; elsewhere a multipart body is refused as an unsupported type.
  await app.register(async (scope: App) => {
    await scope.register(fastifyMultipart, {
      limits: { fileSize: ctx.config.fileMaxBytes + 1, files: 1, fields: 5, parts: 6, fieldSize: 1024, headerPairs: 50 },
    });

    scope.post(
      '/api/files',
      {
        schema: {
          tags,
          summary: 'Upload a photo or a document (multipart/form-data, one file)',
          description:
            'Judged by content: JPEG, PNG, WebP, GIF (and AVIF) photos are re-encoded to JPEG without metadata, at most 2560 px, with a thumbnail; PDF, Word and Excel documents are kept as they are. Larger than FILE_MAX_BYTES: 413. The file is visible only to its uploader until it is attached.',
          consumes: ['multipart/form-data'],
          response: { 201: FileOut, ...errorResponses(400, 401, 403, 413, 415, 429) },
        },
      },
      async (request, reply) => {
        const created = await uploadFile(ctx, request.actor, {
          declaredBytes: declaredLength(request),
          open: async (): Promise<Upload | undefined> => {
            if (!request.isMultipart()) throw errors.unsupportedMediaType();
            const part = await request.file();
            return part ? { stream: part.file, filename: part.filename } : undefined;
          },
        });
        return reply.code(201).send(presentFile(created));
      },
    );
  });

  app.get(
    '/api/files/:id',
    {
      schema: {
        tags,
        summary: 'Download a file (photos inline, documents as attachments)',
        params: IdParams,
        response: { ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => sendFile(request, reply, await openFile(ctx, request.actor, request.params.id, 'original')),
  );

  app.get(
    '/api/files/:id/thumbnail',
    {
      schema: {
        tags,
        summary: "A photo's thumbnail (JPEG, at most 320 px)",
        params: IdParams,
        response: { ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => sendFile(request, reply, await openFile(ctx, request.actor, request.params.id, 'thumbnail')),
  );
}
