// The template library (文书模板库): staff of a region publish standard documents (contract
// samples, settlement guides, application forms), every signed-in person lists and downloads
// them, and each download is counted.
import { randomUUID } from 'node:crypto';
import type { AppContext, Origin } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { inTransaction } from '../../db/transaction.js';
import { errors } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { attachFiles, openFile, type FileDownload } from '../files/service.js';
import { hasRoleAt, requireActor, requireRoleAt, type Actor } from '../identity/access.js';
import type { Role } from '../identity/tables.js';
import { requireRegion } from '../regions/service.js';
import * as q from './queries.js';
import type { TemplateCategory } from './tables.js';

/** Who may publish and withdraw templates, over the subtree of their grant. */
export const TEMPLATE_PUBLISHERS: readonly Role[] = ['station_staff', 'mediator', 'coordinator', 'admin'];

export type TemplateView = q.TemplateRow & { can_archive: boolean };

const view = (actor: Actor, row: q.TemplateRow): TemplateView => ({
  ...row,
  can_archive: hasRoleAt(actor, TEMPLATE_PUBLISHERS, row.region_path),
});

/** Every live template, for anyone signed in; text matches the title literally. */
export async function listTemplates(
  db: Db,
  actor: Actor | null,
  input: { category?: TemplateCategory; text?: string; limit: number; offset: number },
): Promise<{ items: TemplateView[]; total: number }> {
  const me = requireActor(actor);
  const filter = { category: input.category, text: input.text?.trim() || undefined };
  const [rows, total] = await Promise.all([q.findLiveTemplates(db, filter, input), q.countLiveTemplates(db, filter)]);
  return { items: rows.map((row) => view(me, row)), total };
}

export async function getTemplate(db: Db, actor: Actor | null, id: string): Promise<TemplateView> {
  const me = requireActor(actor);
  const row = await q.findLiveTemplateById(db, id);
  if (!row) throw errors.templateNotFound({ id });
  return view(me, row);
}

export interface PublishTemplateInput {
  title: string;
  category: TemplateCategory;
  description?: string;
  /** An upload of the publisher's own, not attached to anything yet. */
  fileId: string;
  /** The publishing region; the publisher's grant must cover it. */
  regionCode: string;
}

/** A system task publishing in a user's name (demo data); no permission check, no audit. */
export interface SystemPublisher {
  system: true;
  userId: string;
  isDemo?: boolean;
  /** A starting count and a publishing time in the past, for demo data only. */
  downloads?: number;
  at?: Date;
}

/**
 * Publishes a template: attaches the upload to it and records it, in one transaction, with an
 * audit entry. 403 outside the publisher's scope; 400 file_not_attachable when the file is
 * missing, someone else's or already in use.
 */
export async function publishTemplate(
  db: Db,
  by: Actor | null | SystemPublisher,
  input: PublishTemplateInput,
  origin: Origin | null = null,
): Promise<TemplateView> {
  const system = by !== null && 'system' in by ? by : null;
  const actor = by !== null && 'system' in by ? null : requireActor(by);
  const region = await requireRegion(db, input.regionCode);
  if (actor) requireRoleAt(actor, TEMPLATE_PUBLISHERS, region.path);
  const userId = actor?.userId ?? system?.userId;
  if (!userId) throw errors.internal();
  const title = input.title.trim();
  const description = (input.description ?? '').trim();
  if (title === '') throw errors.invalidRequest({ issues: [{ field: 'body.title', problem: 'must not be blank' }] });

  return inTransaction(db, async (trx) => {
    const id = randomUUID();
    await attachFiles(trx, { userId }, [input.fileId], { type: 'template', id });
    await q.insertTemplate(trx, {
      id,
      title,
      category: input.category,
      description,
      file_id: input.fileId,
      region_code: region.code,
      region_path: region.path,
      district_code: region.district_code,
      created_by: userId,
      downloads: system?.downloads ?? 0,
      is_demo: system?.isDemo ?? false,
      ...(system?.at ? { created_at: system.at, updated_at: system.at } : {}),
    });
    const created = await q.findLiveTemplateById(trx, id);
    if (!created) throw errors.internal();
    if (actor) {
      await appendAudit(trx, {
        actor,
        action: 'template.publish',
        target: { type: 'template', id, regionPath: region.path, districtCode: region.district_code },
        after: { title, category: input.category, fileId: input.fileId, regionCode: region.code },
        origin,
      });
      return view(actor, created);
    }
    return { ...created, can_archive: false };
  });
}

/**
 * The template's document for download, counted once. The file is opened (and its bytes found)
 * before the count goes up, so a failed download is not counted; an archived template is 404.
 */
export async function downloadTemplate(ctx: AppContext, actor: Actor | null, id: string): Promise<FileDownload> {
  const me = requireActor(actor);
  const row = await q.findLiveTemplateById(ctx.db, id);
  if (!row) throw errors.templateNotFound({ id });
  const download = await openFile(ctx, me, row.file_id, 'original');
  const counted = await q.incrementDownloads(ctx.db, id);
  if (counted === undefined) throw errors.templateNotFound({ id });
  return download;
}

/** Withdraws a template (staff over its region): it leaves the list and downloads give 404. */
export async function archiveTemplate(db: Db, actor: Actor | null, id: string, origin: Origin | null = null): Promise<void> {
  const me = requireActor(actor);
  await inTransaction(db, async (trx) => {
    const template = await q.lockLiveTemplateById(trx, id);
    if (!template) throw errors.templateNotFound({ id });
    requireRoleAt(me, TEMPLATE_PUBLISHERS, template.region_path);
    await q.archiveTemplate(trx, id, new Date());
    await appendAudit(trx, {
      actor: me,
      action: 'template.archive',
      target: { type: 'template', id, regionPath: template.region_path, districtCode: template.district_code },
      before: { title: template.title, category: template.category, downloads: template.downloads },
      origin,
    });
  });
}
