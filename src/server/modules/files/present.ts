import { Type, type Static } from 'typebox';
import { FILE_KINDS, type FileRow } from './tables.js';

export const FileOut = Type.Object({
  id: Type.String(),
  kind: Type.Enum(FILE_KINDS),
  mime: Type.String(),
  size: Type.Integer({ description: 'bytes as stored (a photo after re-encoding)' }),
  name: Type.String(),
  width: Type.Union([Type.Integer(), Type.Null()]),
  height: Type.Union([Type.Integer(), Type.Null()]),
  url: Type.String(),
  thumbnailUrl: Type.Union([Type.String(), Type.Null()]),
  attached: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});

export function presentFile(f: FileRow): Static<typeof FileOut> {
  return {
    id: f.id,
    kind: f.kind,
    mime: f.mime,
    size: f.size,
    name: f.original_name,
    width: f.width,
    height: f.height,
    url: `/api/files/${f.id}`,
    thumbnailUrl: f.has_thumbnail ? `/api/files/${f.id}/thumbnail` : null,
    attached: f.subject_type !== null,
    createdAt: f.created_at.toISOString(),
  };
}

/** RFC 6266 with an RFC 5987 UTF-8 name, and a plain ASCII name for old clients. */
export function contentDisposition(type: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
