import { Type, type Static } from 'typebox';
import type { TemplateView } from './service.js';
import { TEMPLATE_CATEGORIES } from './tables.js';

export const TemplateCategorySchema = Type.Enum(TEMPLATE_CATEGORIES);

export const TemplateOut = Type.Object({
  id: Type.String(),
  title: Type.String(),
  category: TemplateCategorySchema,
  description: Type.String(),
  regionCode: Type.String({ description: 'the publishing region' }),
  regionName: Type.String(),
  downloads: Type.Integer(),
  file: Type.Object({ name: Type.String(), size: Type.Integer({ description: 'bytes' }), mime: Type.String() }),
  downloadUrl: Type.String({ description: 'counts the download and sends the document' }),
  canArchive: Type.Boolean({ description: 'whether the signed-in person may withdraw it' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export function presentTemplate(t: TemplateView): Static<typeof TemplateOut> {
  return {
    id: t.id,
    title: t.title,
    category: t.category,
    description: t.description,
    regionCode: t.region_code,
    regionName: t.region_name,
    downloads: t.downloads,
    file: { name: t.file_name, size: t.file_size, mime: t.file_mime },
    downloadUrl: `/api/templates/${t.id}/download`,
    canArchive: t.can_archive,
    createdAt: t.created_at.toISOString(),
    updatedAt: t.updated_at.toISOString(),
  };
}
