// Who may read an attached file is decided by what it is attached to: one explicit list, one
// entry per subject type. A subject type missing here makes its files readable by their
// uploader only (never by everyone).
import type { AppContext } from '../../context.js';
import type { Actor } from '../identity/access.js';
import { canReadMatter } from '../matters/service.js';
import type { FileRow } from './tables.js';

export type SubjectReadCheck = (ctx: AppContext, actor: Actor, subjectId: string) => Promise<boolean>;

export const SUBJECT_READERS: Readonly<Record<string, SubjectReadCheck>> = {
  /** Templates (forms, model documents) are for everyone who is signed in. */
  template: async () => true,

  /** Photos and documents on a matter's timeline: whoever may see the matter. */
  matter: (ctx, actor, matterId) => canReadMatter(ctx, actor, matterId),

  /** Photos of a place (station, water point …): public, like the place itself. */
  place: async () => true,
};

/** The uploader always; otherwise the check of the file's subject; an unattached file nobody else. */
export async function canReadFile(
  ctx: AppContext,
  actor: Actor,
  file: Pick<FileRow, 'uploaded_by' | 'subject_type' | 'subject_id'>,
): Promise<boolean> {
  if (file.uploaded_by === actor.userId) return true;
  if (file.subject_type === null || file.subject_id === null) return false;
  const check = Object.hasOwn(SUBJECT_READERS, file.subject_type) ? SUBJECT_READERS[file.subject_type] : undefined;
  return check ? check(ctx, actor, file.subject_id) : false;
}
