import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export const TEMPLATE_CATEGORIES = ['contract', 'pay', 'mediation', 'injury', 'insurance', 'policy', 'other'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

export interface TemplateTable {
  id: Generated<string>;
  title: string;
  category: TemplateCategory;
  description: ColumnType<string, string | undefined, string>;
  /** The document itself, attached to the template (subject 'template'). */
  file_id: string;
  /** The region that published it. */
  region_code: string;
  /** Copy of the region's path so scope checks need no join. */
  region_path: string;
  district_code: string | null;
  created_by: string;
  /** Counted on every download; only ever raised with `downloads + 1`. */
  downloads: ColumnType<number, number | undefined, number>;
  /** Set when staff take it down: it leaves the list and cannot be downloaded. */
  archived_at: Date | null;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type Template = Selectable<TemplateTable>;
export type NewTemplate = Insertable<TemplateTable>;
