// The template library (文书模板库): standard documents staff publish and workers download
// (see docs/templates.md).
import { request } from '../api';
import type { Page } from '../types';

export const TEMPLATE_CATEGORIES = ['contract', 'pay', 'mediation', 'injury', 'insurance', 'policy', 'other'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

export interface DocumentTemplate {
  id: string;
  title: string;
  category: TemplateCategory;
  description: string;
  /** The publishing region. */
  regionCode: string;
  regionName: string;
  downloads: number;
  file: { name: string; size: number; mime: string };
  /** Counts the download and sends the document. */
  downloadUrl: string;
  /** Whether the signed-in person may withdraw it. */
  canArchive: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface NewTemplate {
  title: string;
  category: TemplateCategory;
  description?: string;
  /** An upload of the person's own (POST /api/files) not attached to anything yet. */
  fileId: string;
  regionCode: string;
}

const FILE_TYPES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/msword': 'Word',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.ms-excel': 'Excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
};

/** "Word", "PDF", "Excel" … for a document's MIME type. */
export function fileTypeLabel(mime: string): string {
  return FILE_TYPES[mime] ?? (mime.startsWith('image/') ? 'Image' : (mime.split('/').at(-1)?.toUpperCase() ?? ''));
}

/** "36 KB", "1.2 MB". */
export function fileSizeLabel(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export const templatesApi = {
  list: (query: { q?: string; category?: TemplateCategory; limit?: number; offset?: number }) =>
    request<Page<DocumentTemplate>>('GET', '/api/templates', { query: { ...query } }),
  publish: (input: NewTemplate) => request<DocumentTemplate>('POST', '/api/templates', { body: input }),
  archive: (id: string) => request<void>('DELETE', `/api/templates/${encodeURIComponent(id)}`),
};
