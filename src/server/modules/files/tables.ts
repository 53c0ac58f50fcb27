import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export const FILE_KINDS = ['image', 'document'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export interface FileTable {
  id: Generated<string>;
  uploaded_by: string;
  /** 'image': re-encoded as JPEG with a thumbnail; 'document': kept byte for byte. */
  kind: FileKind;
  /** Of the stored bytes, as sniffed from the content (never the name or the declared type). */
  mime: string;
  size: number;
  /** Of the stored bytes. */
  sha256: string;
  /** Cleaned for the download header; never used as a path. */
  original_name: string;
  width: number | null;
  height: number | null;
  has_thumbnail: ColumnType<boolean, boolean | undefined, boolean>;
  /** What the file is attached to (e.g. 'matter' and its id); null while unattached. */
  subject_type: string | null;
  subject_id: string | null;
  created_at: Generated<Date>;
}

export type FileRow = Selectable<FileTable>;
export type NewFile = Insertable<FileTable>;
